namespace MeiLing.Grains.Orders;

/// <summary>
/// Places orders under ids their caller has just minted (<see cref="Platform.EntityId.NewInTimeOrder(string)"/>), without activating
/// the order: the same checks as <see cref="IOrderGrain.Place"/>, the order's state written as its grain would write it,
/// with its listing in one commit. The order grain activates later, for a payment or a read, from that row. An order
/// placed again under an idempotency key goes to its grain instead, which finds the first placing. An order for a user
/// goes to that user's grain (<see cref="Users.IUserOrderPlacer"/>; <see cref="NewOrderPlacers.PlaceNewOrder"/> picks):
/// this one places walk-in sales, and refuses ids of no user's shape; an API host of the previous release sends it all.
/// New in this release: a silo of the previous one does not host it.
/// </summary>
[Alias("meiling.order-placer")]
public interface IOrderPlacer : IGrainWithIntegerKey
{
    /// <summary>Places <paramref name="command"/> as <paramref name="orderId"/>; a conflict if a row under that id exists.</summary>
    [Alias("place-new")]
    Task<OrderView> PlaceNew(string orderId, PlaceOrder command);
}
