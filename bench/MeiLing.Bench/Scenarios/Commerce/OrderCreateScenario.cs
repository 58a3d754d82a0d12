using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>
/// POST /v1/merchants/{id}/orders as the merchant, for customers: the order grain's state and the order index, durable.
/// The customers are users of their own, enough that the merchant stays under the platform's daily allowance of orders
/// for one user (<see cref="OrderAllowance"/>); each worker on its own slice of them.
/// </summary>
public sealed class OrderCreateScenario : HttpScenario
{
    private Merchant? _merchant;
    private UserPool? _customers;

    public override string Name => "order-create";

    public override string Description => "POST /v1/merchants/{id}/orders: an everyday order (1-3 lines) for a customer";

    public override Ceiling ComparedWith => Ceiling.Http | Ceiling.Write;

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        _merchant = await context.MerchantAsync(cancellationToken);
        _customers = await context.CustomersAsync(cancellationToken);
        Note($"merchant {_merchant.MerchantId} with {Merchant.EverydaySkus.Length + 1} products; {_customers.Count} customers, each worker on its own slice");
    }

    protected override HttpRequestMessage NextRequest(WorkerContext worker)
    {
        var merchant = _merchant ?? throw new InvalidOperationException("SetupAsync has not run");
        var customer = _customers!.For(worker);
        return ApiRequests.PlaceOrder(merchant.MerchantId, merchant.ApiKey, merchant.EverydayOrder(customer.UserId, worker.Random));
    }
}
