using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>GET /v1/orders/{id} as its merchant: an active order grain's read (plus the disclosure the contract records for it).</summary>
public sealed class OrderReadScenario : PoolUserScenario
{
    private Merchant? _merchant;
    private OrderSet? _orders;

    public override string Name => "order-read";

    public override string Description => "GET /v1/orders/{id} as the merchant (orders placed in setup)";

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await base.SetupAsync(context, cancellationToken);
        _merchant = await context.MerchantAsync(cancellationToken);
        var merchant = _merchant;
        _orders = await OrderSet.PlaceAsync(context.Api, merchant, PoolUsers, context.PoolSize,
            (user, random) => merchant.EverydayOrder(user, random), cancellationToken);
        Note($"{_orders.Count} orders placed in setup, one slice per worker; the contract records a merchant's read as a disclosure");
    }

    protected override HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user) =>
        ApiRequests.GetOrder(
            (_orders ?? throw new InvalidOperationException("SetupAsync has not run")).For(worker),
            _merchant!.ApiKey);
}
