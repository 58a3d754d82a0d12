namespace MeiLing.Grains.Orders;

// Holds nothing between calls, which wait on PostgreSQL: one call at a time per worker (a worker per core) would queue
// every caller behind the slowest query on the silo.
[StatelessWorker]
[Reentrant]
internal sealed class OrderListingsGrain(OrderIndexStore index) : Grain, IOrderListingsGrain
{
    Task<OrderPage> IOrderListingsGrain.ByMerchant(string merchantId, string? cursor, int limit) =>
        index.PageByMerchantAsync(merchantId, cursor, Math.Clamp(limit, 1, IOrderListingsGrain.MaxPageSize));

    Task<OrderPage> IOrderListingsGrain.ByUser(string userId, string? cursor, int limit) =>
        index.PageByUserAsync(userId, cursor, Math.Clamp(limit, 1, IOrderListingsGrain.MaxPageSize));
}
