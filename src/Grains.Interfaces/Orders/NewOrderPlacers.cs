using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.Orders;

/// <summary>Which grain places a new order: the customer's own, or the silo's placer when there is no customer to ask.</summary>
public static class NewOrderPlacers
{
    /// <summary>
    /// Places <paramref name="command"/> as <paramref name="orderId"/> through the customer's grain when it names an id of
    /// a user's shape; through the silo's placer for a walk-in sale, and for an id of no user's shape, which names nobody
    /// and must become no grain's key (it is 400).
    /// </summary>
    public static Task<OrderView> PlaceNewOrder(this IGrainFactory grains, string orderId, PlaceOrder command) =>
        EntityId.IsWellFormed(command.UserId, EntityId.UserPrefix)
            ? grains.GetResolvedGrain<IUserOrderPlacer>(command.UserId!).PlaceNew(orderId, command)
            : grains.GetResolvedGrain<IOrderPlacer>(0).PlaceNew(orderId, command);
}
