using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MeiLing.Grains.Orders;

/// <summary>
/// Places a new order with no order activation: creating, registering and then deactivating an activation for every
/// order cost more of the silo's time than the order's own checks (docs/performance.md, eighteenth round). The state goes
/// through the same storage as the order grain's, under the grain's own id and state name, as an insert: a row already
/// under the id fails the write and nothing is listed. Used by <see cref="IOrderPlacer"/> and <see cref="Users.IUserOrderPlacer"/>.
/// </summary>
public sealed class NewOrders(
    OrderPlacement placement,
    OrderIndexStore index,
    IGrainFactory grains,
    [FromKeyedServices(StorageNames.Default)] IGrainStorage storage)
{
    /// <summary>
    /// Places <paramref name="command"/> as <paramref name="orderId"/>. <paramref name="customerGate"/> is the customer's
    /// gate when the caller is the customer's own grain, asked in its turn; otherwise the gate is called.
    /// </summary>
    public async Task<OrderView> PlaceAsync(string orderId, PlaceOrder command, IUserConsentGate? customerGate = null)
    {
        var placed = await placement.PrepareAsync(orderId, command, customerGate);
        var grainId = grains.GetResolvedGrain<IOrderGrain>(orderId).GetGrainId();
        try
        {
            await index.WriteWithPlacedStateAsync(orderId, placed, () =>
                storage.WriteStateAsync(OrderGrain.StateName, grainId, new GrainState<OrderState>(placed)));
        }
        catch (InconsistentStateException)
        {
            // The id already names an order, which stays as it was. Its stock was taken under the same sale (the order's
            // id), which a stock grain applies once: this attempt took none, and gives none back.
            throw DomainException.Conflict("order-exists", "An order already has this id.");
        }

        return placed.ToView(orderId);
    }
}
