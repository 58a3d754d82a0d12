using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Storage;

namespace MeiLing.Grains.Orders;

/// <summary>
/// Places a new order with no order activation: creating, registering and then deactivating an activation for every
/// order cost more of the silo's time than the order's own checks (docs/performance.md, eighteenth round). The state goes
/// through the same storage as the order grain's, under the grain's own id and state name, as an insert: a row already
/// under the id fails the write and nothing is listed. Used by <see cref="IOrderPlacer"/> and <see cref="Users.IUserOrderPlacer"/>.
/// </summary>
public sealed partial class NewOrders(
    OrderPlacement placement,
    OrderIndexStore index,
    IGrainFactory grains,
    [FromKeyedServices(StorageNames.Default)] IGrainStorage storage,
    ILogger<NewOrders> logger)
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
        catch (Exception failed)
        {
            // P1.6 (*reviewer*): the stock was taken under the order's sale before the write, and a write that failed
            // otherwise (a database error, a lost connection) kept it taken for an order never stored; the till's keyless
            // retry mints a new id and takes it again, so the count went short for good. It is given back, as a refused
            // day gives it back (OrderPlacement), once the order is read back absent: its listing and facts are in the
            // state's unit, so none of it landed. A commit that did land (its answer lost) is found and keeps its stock,
            // as does an order whose read-back failed too: a stored order's stock given back would be sold twice, while
            // held stock only undercounts until the merchant's next stock-take. No other attempt under this id is under
            // way: a minted id is this call's alone, and a keyed one (an order for a user) is placed in the order's turn
            // and the user's, one attempt after another. Only when the database itself refused the write (*reviewer* of
            // this session's diff): after a timeout or a dropped connection the server may still commit the batch it
            // received, after a read-back found nothing, and the stock given back would be sold twice.
            var stored = RolledBack(failed) ? await IsStoredAsync(grainId) : null;
            if (stored == false)
            {
                await placement.GiveBackStockAsync(orderId, placed);
            }
            else if (stored is null && placed.StockedSkus.Count > 0)
            {
                LogStockHeldUnknown(failed, orderId);
            }

            throw;
        }

        return placed.ToView(orderId);
    }

    // The server's own answer to the write was an error, so its transaction rolled back and nothing of it can commit later.
    private static bool RolledBack(Exception failure)
    {
        for (var cause = failure; cause is not null; cause = cause.InnerException)
        {
            if (cause is PostgresException)
            {
                return true;
            }
        }

        return false;
    }

    // Whether the order's row is in storage: null when the read failed as well.
    private async Task<bool?> IsStoredAsync(GrainId grainId)
    {
        try
        {
            var readBack = new GrainState<OrderState>();
            await storage.ReadStateAsync(OrderGrain.StateName, grainId, readBack);
            return readBack.RecordExists;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}'s write failed without the database refusing it, or could not be read back: the stock it took is held")]
    private partial void LogStockHeldUnknown(Exception failure, string orderId);
}
