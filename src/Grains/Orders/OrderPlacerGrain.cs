using MeiLing.Grains.Platform;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MeiLing.Grains.Orders;

/// <summary>
/// Places a new order on the silo that took the call, with no order activation: creating, registering and then
/// deactivating an activation for every order cost more of the silo's time than the order's own checks
/// (docs/performance.md, eighteenth round). The state goes through the same storage as the order grain's, under the
/// grain's own id and state name, as an insert: a row already under the id fails the write and nothing is listed.
/// </summary>
/// <remarks>
/// Reentrant: it holds nothing between calls, and a placement spends its time waiting (on the customer's gate, on the
/// commit). One call at a time per worker, one worker per core, held a silo to two orders in flight and every commit to
/// a group of one: 1,064 orders/s against 1,827 through order activations (docs/performance.md, eighteenth round).
/// </remarks>
[StatelessWorker]
[Reentrant]
internal sealed class OrderPlacerGrain(
    OrderPlacement placement,
    OrderIndexStore index,
    [FromKeyedServices(StorageNames.Default)] IGrainStorage storage) : Grain, IOrderPlacer
{
    async Task<OrderView> IOrderPlacer.PlaceNew(string orderId, PlaceOrder command)
    {
        var placed = await placement.PrepareAsync(orderId, command);
        var grainId = GrainFactory.GetResolvedGrain<IOrderGrain>(orderId).GetGrainId();
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
