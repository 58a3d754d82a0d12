using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Users;

/// <summary>
/// Places a new order for this user in the user's own turn (a role of <see cref="IUserGrain"/>), keyed by user id: the
/// checks and the write of <see cref="IOrderPlacer.PlaceNew"/>. The consent gate the order passes is then a step of the
/// same turn, not a call to another grain, and nothing the user's grain does (an account cancellation closing it, a
/// consent withdrawn) falls between the gate's answer and the order's commit.
/// </summary>
[Alias("meiling.user.order-placer")]
public interface IUserOrderPlacer : IGrainWithStringKey
{
    /// <summary>Places <paramref name="command"/> as <paramref name="orderId"/>; 400 <c>unknown-user</c> when it names another user.</summary>
    [Alias("place-new")]
    Task<OrderView> PlaceNew(string orderId, PlaceOrder command);
}
