namespace MeiLing.Grains.Orders;

/// <summary>
/// Places new orders with no customer to ask on the silo that took the call (<see cref="IOrderPlacer"/>); an order for a
/// user is placed by that user's grain (<see cref="Users.IUserOrderPlacer"/>).
/// </summary>
/// <remarks>
/// Reentrant: it holds nothing between calls, and a placement spends its time waiting (on the commit). One call at a
/// time per worker, one worker per core, held a silo to two orders in flight and every commit to a group of one: 1,064
/// orders/s against 1,827 through order activations (docs/performance.md, eighteenth round).
/// </remarks>
[StatelessWorker]
[Reentrant]
internal sealed class OrderPlacerGrain(NewOrders orders) : Grain, IOrderPlacer
{
    Task<OrderView> IOrderPlacer.PlaceNew(string orderId, PlaceOrder command) => orders.PlaceAsync(orderId, command);
}
