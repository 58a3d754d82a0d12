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
        var catalogue = platform.Grains.GetGrain<ICatalogueGrain>(merchant.MerchantId);
        await catalogue.EndActivationAsync();
        // 9,999 products stored at once, as adding them one by one would leave them: through the API it would take minutes.
        await platform.ChangeStoredStateAsync<CatalogueState>(catalogue, "catalogue", stored =>
        {
            for (var i = 0; i < 9_999; i++)
            {
                stored.Products[$"BULK-{i}"] = new Product($"BULK-{i}", $"Bulk {i}", 100, null, DateTimeOffset.UtcNow);
            }
        });

        await client.AddProductAsync(merchant.MerchantId, "LAST", "The ten thousandth", 100);
        var beyond = await client.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/products", new { sku = "ONE-MORE", name = "One more", priceFen = 100 });

        Assert.EndsWith("/catalogue-full", (await beyond.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
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
}
