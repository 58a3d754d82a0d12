using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>POST /v1/merchants/{id}/orders as the merchant, for pool users: the order grain's state and the order index, durable.</summary>
public sealed class OrderCreateScenario : PoolUserScenario
{
    private Merchant? _merchant;

    public override string Name => "order-create";

    public override string Description => "POST /v1/merchants/{id}/orders: an everyday order (1-3 lines) for a pool user";

    public override Ceiling ComparedWith => Ceiling.Http | Ceiling.Write;

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await base.SetupAsync(context, cancellationToken);
        _merchant = await context.MerchantAsync(cancellationToken);
        Note($"merchant {_merchant.MerchantId} with {Merchant.EverydaySkus.Length + 1} products");
    }

    protected override HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user)
    {
        var merchant = _merchant ?? throw new InvalidOperationException("SetupAsync has not run");
        return ApiRequests.PlaceOrder(merchant.MerchantId, merchant.ApiKey, merchant.EverydayOrder(user.UserId, worker.Random));
    }
}
