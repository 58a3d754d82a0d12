using System.Text.Json;
using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class ListingTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_listing_shows_an_order_paid_once_marked_payments_pay_it_off()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.MerchantClient.PayAsync(placed.Id(), "marked", 800);
        var partly = await ListedStatusAsync(shop, placed.Id());

        await shop.MerchantClient.PayAsync(placed.Id(), "marked", 1_000);
        var fully = await ListedStatusAsync(shop, placed.Id());

        Assert.Equal("pending-payment", partly);
        Assert.Equal("paid", fully);
    }

    [Fact]
    public async Task P1_4_a_merchants_orders_page_newest_first_with_a_cursor()
    {
        var shop = await platform.OpenShopAsync();
        var placed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            placed.Add((await shop.PlaceOrderAsync()).Id());
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await shop.MerchantClient.GetFromJsonAsync<JsonElement>(
                $"/v1/merchants/{shop.Merchant.MerchantId}/orders?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        placed.Reverse();
        Assert.Equal(placed, seen);
    }

    [Fact]
    public async Task P1_4_a_user_lists_their_own_orders()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();

        var page = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}/orders");

        Assert.Equal(placed.Id(), page.GetProperty("items")[0].GetProperty("orderId").GetString());
    }

    // "MXwA" is "1|" and a NUL, which PostgreSQL once refused as if it were down (503).
    [Theory]
    [InlineData("merchant", "not-a-cursor")]
    [InlineData("merchant", "MXwA")]
    [InlineData("merchant", "MXxvcmRfeA")]
    [InlineData("user", "not-a-cursor")]
    [InlineData("user", "MXwA")]
    [InlineData("user", "MXxvcmRfeA")]
    public async Task A_cursor_the_api_did_not_give_is_400_naming_the_cursor(string listing, string cursor)
    {
        var shop = await platform.OpenShopAsync();
        var (client, path) = listing == "merchant"
            ? (shop.MerchantClient, $"/v1/merchants/{shop.Merchant.MerchantId}/orders")
            : (shop.CustomerClient, $"/v1/users/{shop.Customer.UserId}/orders");

        var response = await client.GetAsync($"{path}?cursor={cursor}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/validation", problem.TypeOf(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_merchants_orders_are_404_to_an_operator()
    {
        var response = await platform.Operator().GetAsync($"/v1/merchants/{EntityId.New(EntityId.MerchantPrefix)}/orders");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_2_an_operator_lists_a_merchants_orders_without_who_placed_them()
    {
        var shop = await platform.OpenShopAsync();
        var orderId = (await shop.PlaceOrderAsync()).Id();

        var byOperator = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/orders");
        var byMerchant = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/orders");

        var seenByOperator = Assert.Single(byOperator.GetProperty("items").EnumerateArray(), o => o.GetProperty("orderId").GetString() == orderId);
        Assert.Equal(JsonValueKind.Null, seenByOperator.GetProperty("userId").ValueKind);
        var seenByMerchant = Assert.Single(byMerchant.GetProperty("items").EnumerateArray(), o => o.GetProperty("orderId").GetString() == orderId);
        Assert.Equal(shop.Customer.UserId, seenByMerchant.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_page_size_out_of_range_is_400()
    {
        var shop = await platform.OpenShopAsync();

        var response = await shop.MerchantClient.GetAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders?limit=5000");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<string?> ListedStatusAsync(Shop shop, string orderId)
    {
        var page = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/orders?limit=50");
        return page.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("orderId").GetString() == orderId).GetProperty("status").GetString();
    }
}
