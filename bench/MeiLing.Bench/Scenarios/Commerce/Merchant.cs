using MeiLing.Bench.Http;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>
/// A merchant made for the run, with a small catalogue: four everyday products and one very dear one,
/// so orders of the dear one can take thousands of one-fen partial payments without being paid off.
/// </summary>
public sealed record Merchant(string MerchantId, string ApiKey)
{
    public const string DearSku = "bench-dear";

    public const long DearPriceFen = 100_000_000;

    public static readonly string[] EverydaySkus = ["bench-tea", "bench-bun", "bench-rice", "bench-soup"];

    /// <summary>The price of <see cref="EverydaySkus"/>[<paramref name="index"/>].</summary>
    public static long EverydayPriceFen(int index) => 500 + (index * 250);

    public static async Task<Merchant> CreateAsync(ApiClient api, string name, CancellationToken cancellationToken)
    {
        var created = await api.CallAsync(ApiRequests.CreateMerchant(api.RequireOperatorKey(), new MerchantBody(name)),
            WireJson.Default.MerchantCreated, cancellationToken);
        var merchant = new Merchant(created.MerchantId, created.ApiKey);
        for (var i = 0; i < EverydaySkus.Length; i++)
        {
            await merchant.AddProductAsync(api, new ProductBody(EverydaySkus[i], EverydaySkus[i], EverydayPriceFen(i)), cancellationToken);
        }

        await merchant.AddProductAsync(api, new ProductBody(DearSku, "bench dear item", DearPriceFen), cancellationToken);
        return merchant;
    }

    /// <summary>An everyday order: one to three lines of the catalogue.</summary>
    public PlaceOrderBody EverydayOrder(string userId, Random random)
    {
        var lines = random.Next(1, 4);
        var items = new OrderItemBody[lines];
        for (var i = 0; i < lines; i++)
        {
            items[i] = new OrderItemBody(EverydaySkus[(i + random.Next(EverydaySkus.Length)) % EverydaySkus.Length], random.Next(1, 4));
        }

        return new PlaceOrderBody(userId, items.DistinctBy(item => item.Sku).ToArray());
    }

    public Task<OrderPlaced> PlaceAsync(ApiClient api, PlaceOrderBody body, CancellationToken cancellationToken) =>
        api.CallAsync(ApiRequests.PlaceOrder(MerchantId, ApiKey, body), WireJson.Default.OrderPlaced, cancellationToken);

    private Task<ProductBody> AddProductAsync(ApiClient api, ProductBody product, CancellationToken cancellationToken) =>
        api.CallAsync(ApiRequests.AddProduct(MerchantId, ApiKey, product), WireJson.Default.ProductBody, cancellationToken);
}
