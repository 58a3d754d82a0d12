using System.Text.Json;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Api;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class ProductTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_merchant_adds_and_lists_its_products()
    {
        var merchant = await platform.CreateMerchantAsync("Catalogue");
        var client = platform.Client(merchant.ApiKey);
        await client.AddProductAsync(merchant.MerchantId, "B-2", "Bun", 300);
        await client.AddProductAsync(merchant.MerchantId, "A-1", "Apple", 500);

        var products = await client.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchant.MerchantId}/products");

        var skus = products.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()).ToList();
        Assert.Equal(["A-1", "B-2"], skus);
    }

    [Fact]
    public async Task A_catalogue_takes_at_most_10000_products_then_409()
    {
        var merchant = await platform.CreateMerchantAsync("Warehouse");
        var client = platform.Client(merchant.ApiKey);
        await StoreProductsAsync(merchant.MerchantId, 9_999);

        await client.AddProductAsync(merchant.MerchantId, "LAST", "The ten thousandth", 100);
        var beyond = await client.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/products", new { sku = "ONE-MORE", name = "One more", priceFen = 100 });

        Assert.EndsWith("/catalogue-full", (await beyond.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P4_4_the_product_list_holds_at_most_500_products_and_its_pages_join_up_by_sku()
    {
        var merchant = await platform.CreateMerchantAsync("Hypermarket");
        var client = platform.Client(merchant.ApiKey);
        var skus = await StoreProductsAsync(merchant.MerchantId, 501);

        // A caller that passes nothing gets the first 500 and the cursor of the rest, in the same body as before.
        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchant.MerchantId}/products");
        var cursor = first.GetProperty("nextCursor").GetString();
        var rest = await client.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchant.MerchantId}/products?cursor={cursor}");

        Assert.Equal(500, first.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
        Assert.Equal(
            skus.Order(StringComparer.Ordinal),
            first.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray()).Select(p => p.GetProperty("sku").GetString()!));
        await (await client.GetAsync($"/v1/merchants/{merchant.MerchantId}/products?limit=501")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/v1/merchants/{merchant.MerchantId}/products?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/v1/merchants/{merchant.MerchantId}/products?cursor=not%20a%20sku")).AssertProblemAsync(HttpStatusCode.BadRequest);

        // An API host of the previous release, during a rolling upgrade, still lists: the first page, never the whole catalogue.
        var previousRelease = await platform.Grains.GetGrain<ICatalogueGrain>(merchant.MerchantId).ListFirstPage();
        Assert.Equal(first.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!), previousRelease.Select(p => p.Sku));
    }

    [Fact]
    public async Task P4_4_a_page_of_the_product_list_asks_only_its_own_products_stock()
    {
        var merchant = await platform.CreateMerchantAsync("Corner shop");
        var skus = (await StoreProductsAsync(merchant.MerchantId, 30, stockTracked: true)).Order(StringComparer.Ordinal).ToList();

        var page = await platform.Client(merchant.ApiKey).GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchant.MerchantId}/products?limit=10");

        Assert.Equal(skus[9], page.GetProperty("nextCursor").GetString());
        var management = platform.Grains.GetGrain<IManagementGrain>(0);
        var asked = new List<string>();
        foreach (var sku in skus)
        {
            var stock = (GrainReference)platform.Grains.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(merchant.MerchantId, sku));
            if (await management.GetGrainActivationCount(stock) > 0)
            {
                asked.Add(sku);
            }
        }

        Assert.Equal(skus.Take(10), asked);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    [InlineData(100_000_001)]
    public async Task Negative_zero_or_absurd_prices_are_400(long priceFen)
    {
        var merchant = await platform.CreateMerchantAsync("Pricing");

        var response = await platform.Client(merchant.ApiKey).PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/products", new { sku = "X", name = "x", priceFen });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_sku_is_added_once()
    {
        var merchant = await platform.CreateMerchantAsync("Twice");
        var client = platform.Client(merchant.ApiKey);
        await client.AddProductAsync(merchant.MerchantId, "SAME", "First", 100);

        var again = await client.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/products", new { sku = "SAME", name = "Second", priceFen = 200 });

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_unknown_merchants_catalogue_is_404_to_an_operator()
    {
        var response = await platform.Operator().GetAsync($"/v1/merchants/{EntityId.New(EntityId.MerchantPrefix)}/products");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_merchants_catalogue_is_404()
    {
        var mine = await platform.CreateMerchantAsync("Mine");
        var theirs = await platform.CreateMerchantAsync("Theirs");

        var response = await platform.Client(mine.ApiKey).GetAsync($"/v1/merchants/{theirs.MerchantId}/products");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // Products stored at once, as adding them one by one would leave them: through the API a large catalogue would take minutes.
    private async Task<IReadOnlyList<string>> StoreProductsAsync(string merchantId, int count, bool stockTracked = false)
    {
        var catalogue = platform.Grains.GetGrain<ICatalogueGrain>(merchantId);
        await catalogue.EndActivationAsync();
        var skus = Enumerable.Range(0, count).Select(i => $"BULK-{i}").ToList();
        await platform.ChangeStoredStateAsync<CatalogueState>(catalogue, "catalogue", stored =>
        {
            foreach (var sku in skus)
            {
                stored.Products[sku] = new Product(sku, $"Product {sku}", 100, null, DateTimeOffset.UtcNow, StockTracked: stockTracked);
            }
        });
        return skus;
    }
}
