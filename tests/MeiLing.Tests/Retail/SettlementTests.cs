using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Retail;

[Collection(PlatformCollection.Name)]
public sealed class SettlementTests(PlatformFixture platform)
{
    // P4.1: the account goes, the money on its card does not: it is recorded as owed back, without naming the user,
    // shown in the erasure receipt, and the merchant's takings report still counts the anonymized order.
    [Fact]
    public async Task P4_1_a_card_balance_left_at_cancellation_is_settled_in_the_receipt_and_the_merchants_accounts()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var order = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);
        var today = RetailApiClient.ShanghaiToday();
        var before = await (await shop.MerchantClient.DailyReportAsync(shop.Merchant.MerchantId, today)).Content.ReadFromJsonAsync<JsonElement>();

        var request = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Settle", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync(request.RequestId());

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(5_000 - CommerceApiClient.TeaPrice, done.GetProperty("receipt").GetProperty("memberCardsSettledFen").GetInt64());
        var settlements = await shop.MerchantClient.GetAsync($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements");
        var body = await settlements.Content.ReadAsStringAsync();
        var settlement = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(5_000 - CommerceApiClient.TeaPrice, settlement.GetProperty("amountFen").GetInt64());
        Assert.Equal("account-cancelled", settlement.GetProperty("cause").GetString());
        Assert.Equal("merchant-pays-customer", settlement.GetProperty("payBack").GetString());
        Assert.DoesNotContain(shop.Customer.UserId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(shop.Customer.Phone, body, StringComparison.Ordinal);
        var after = await (await shop.MerchantClient.DailyReportAsync(shop.Merchant.MerchantId, today)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(before.GetProperty("grossFen").GetInt64(), after.GetProperty("grossFen").GetInt64());
        Assert.Equal(before.GetProperty("orders").GetInt32(), after.GetProperty("orders").GetInt32());
    }

    [Fact]
    public async Task A_card_with_nothing_left_settles_nothing()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(CommerceApiClient.TeaPrice);
        var order = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);

        var request = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Zero", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync(request.RequestId());

        Assert.Equal(0, done.GetProperty("receipt").GetProperty("memberCardsSettledFen").GetInt64());
        var settlements = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements");
        Assert.Empty(settlements.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Settlements_are_the_merchants_managers_not_a_cashiers_or_another_merchants()
    {
        var till = await platform.OpenTillAsync();
        var rival = await platform.OpenTillAsync("Rival");

        Assert.Equal(HttpStatusCode.OK, (await till.Manager.GetAsync($"/v1/merchants/{till.MerchantId}/member-card-settlements")).StatusCode);
        await (await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/member-card-settlements")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await rival.Owner.GetAsync($"/v1/merchants/{till.MerchantId}/member-card-settlements")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
