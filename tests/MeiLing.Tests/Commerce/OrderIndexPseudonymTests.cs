using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Commerce;

/// <summary>A.2: the listing and analytics tables hold what a user bought, but never who they are in clear.</summary>
[Collection(PlatformCollection.Name)]
public sealed class OrderIndexPseudonymTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_2_listing_and_analytics_rows_hold_no_user_id_in_clear_and_every_listing_still_works()
    {
        var shop = await platform.OpenShopAsync();
        var placed = (await shop.PlaceOrderAsync()).Id();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Listing", "support")).ApiKey);

        var found = await platform.Database.FindEverywhereAsync(shop.Customer.UserId);
        var own = await ListedAsync(shop.CustomerClient, $"/v1/users/{shop.Customer.UserId}/orders");
        var supports = await ListedAsync(support, $"/v1/users/{shop.Customer.UserId}/orders");
        var merchants = await ListedAsync(shop.MerchantClient, $"/v1/merchants/{shop.Merchant.MerchantId}/orders");

        Assert.DoesNotContain(found, place => place.StartsWith("order_index.", StringComparison.Ordinal) || place.StartsWith("order_line_facts.", StringComparison.Ordinal));
        Assert.Equal([placed], own.Select(OrderId));
        Assert.Equal([placed], supports.Select(OrderId));
        // The merchant's listing still names the customer, as the contract says.
        Assert.Equal(shop.Customer.UserId, merchants.Single().GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_2_a_row_written_before_pseudonymization_is_listed_and_rewritten_without_the_user_id()
    {
        var shop = await platform.OpenShopAsync();
        var placed = (await shop.PlaceOrderAsync()).Id();
        // What the previous build wrote: the user id in clear, no pseudonym.
        await platform.Database.ScalarAsync<int>(
            "UPDATE order_index SET user_id = $2, user_ref = NULL, sealed_user_id = NULL WHERE order_id = $1 RETURNING 1", placed, shop.Customer.UserId);

        var own = await ListedAsync(shop.CustomerClient, $"/v1/users/{shop.Customer.UserId}/orders");

        Assert.Equal([placed], own.Select(OrderId));
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE order_id = $1 AND user_id IS NULL AND user_ref IS NOT NULL AND sealed_user_id IS NOT NULL", placed));
    }

    [Fact]
    public async Task P4_1_after_cancellation_the_orders_listing_rows_are_anonymous_and_their_pseudonym_leads_nowhere()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var pseudonym = await platform.Database.ScalarAsync<string>(
            "SELECT min(user_ref) FROM order_index WHERE merchant_id = $1", shop.Merchant.MerchantId);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Anonymous", "support")).ApiKey);

        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var done = await support.WaitUntilDoneAsync(view.RequestId());

        Assert.True(done.GetProperty("receipt").GetProperty("verified").GetBoolean(), done.ToString());
        Assert.StartsWith("psn_", pseudonym, StringComparison.Ordinal);
        Assert.Empty(await platform.Database.FindEverywhereAsync(pseudonym!));
        Assert.Equal(2L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE merchant_id = $1 AND user_ref IS NULL AND sealed_user_id IS NULL AND user_id IS NULL",
            shop.Merchant.MerchantId));
    }

    private static async Task<List<JsonElement>> ListedAsync(HttpClient client, string path) =>
        [.. (await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("items").EnumerateArray()];

    private static string OrderId(JsonElement order) => order.GetProperty("orderId").GetString()!;
}
