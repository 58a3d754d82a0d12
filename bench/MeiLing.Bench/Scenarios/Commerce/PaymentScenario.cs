using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>
/// POST /v1/orders/{id}/payments as the merchant: a one-fen "marked" partial payment on an order of
/// 1,000,000 yuan, so no order is ever paid off during a run (the 409 of an overpayment never shows).
/// </summary>
public sealed class PaymentScenario : PoolUserScenario
{
    private static readonly PaymentBody OneFen = new("marked", 1);

    private Merchant? _merchant;
    private OrderSet? _orders;

    public override string Name => "payment";

    public override string Description => "POST /v1/orders/{id}/payments: a 1-fen marked partial payment on a dear order";

    public override Ceiling ComparedWith => Ceiling.Http | Ceiling.Write;

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await base.SetupAsync(context, cancellationToken);
        _merchant = await context.MerchantAsync(cancellationToken);
        _orders = await OrderSet.PlaceAsync(context.Api, _merchant, PoolUsers, context.PoolSize,
            (user, _) => new PlaceOrderBody(user, [new OrderItemBody(Merchant.DearSku, 1)]), cancellationToken);
        Note($"{_orders.Count} orders of 100,000,000 fen placed in setup; each payment adds a payment record to one");
    }

    protected override HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user) =>
        ApiRequests.Pay((_orders ?? throw new InvalidOperationException("SetupAsync has not run")).For(worker), _merchant!.ApiKey, OneFen);
}
