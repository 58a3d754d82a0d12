using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Users;

/// <summary>
/// New orders for this user, placed in the user's turn (<see cref="IUserOrderPlacer"/>): the gate is a step of the turn,
/// so an account closing or a consent withdrawn waits for an order already past its gate to be committed, and an
/// erasure that follows finds it; and the order spends no grain call on its gate.
/// </summary>
internal sealed partial class UserGrain
{
    Task<OrderView> IUserOrderPlacer.PlaceNew(string orderId, PlaceOrder command) =>
        command.UserId == UserId
            ? newOrders.PlaceAsync(orderId, command, customerGate: this)
            : throw DomainException.InvalidField("userId", "unknown-user", "The order names another user than the one placing it.");
}
