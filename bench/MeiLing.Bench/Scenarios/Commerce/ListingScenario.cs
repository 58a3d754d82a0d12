namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>
/// GET /v1/merchants/{id}/orders?limit=20 on a merchant seeded with 10,000 listing rows: the first
/// page, or (<c>listing-deep</c>) the page reached by following 50 cursors.
/// </summary>
public sealed class ListingScenario(bool deep) : HttpScenario
{
    public const int SeededOrders = 10_000;
    public const int DeepPage = 50;

    private SeededMerchant? _merchant;

    public override string Name => deep ? "listing-deep" : "listing";

    public override string Description => deep
        ? $"GET /v1/merchants/{{id}}/orders?limit=20&cursor=: page {DeepPage + 1} of a merchant with {SeededOrders:N0} orders"
        : $"GET /v1/merchants/{{id}}/orders?limit=20: first page of a merchant with {SeededOrders:N0} orders";

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        _merchant = await context.ListingMerchantAsync(SeededOrders, DeepPage, cancellationToken);
        Note($"merchant {_merchant.Merchant.MerchantId}: {SeededOrders:N0} rows COPYed into order_index (listing rows only, no order grains)"
            + (deep ? $"; page {_merchant.DeepPageNumber} by cursor" : ""));
    }

    protected override HttpRequestMessage NextRequest(WorkerContext worker) =>
        deep ? _merchant!.DeepPageRequest() : _merchant!.FirstPageRequest();
}
