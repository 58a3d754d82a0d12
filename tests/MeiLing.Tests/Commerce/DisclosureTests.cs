using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Users;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class DisclosureTests(PlatformFixture platform)
{
    // The ledger's route showed the newest 1,000 hand-overs and said there were no more: a merchant's daily orders for a user,
    // each handed to a delivery partner, pushed older hand-overs (a transfer, a legal demand) out of a list that claimed to
    // be whole.
    [Fact]
    public async Task P3_1_the_ledger_is_read_a_page_at_a_time_to_its_oldest_hand_over_even_among_hand_overs_of_one_instant()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var newest = DateTimeOffset.UtcNow.AddHours(-1);
        // Two hand-overs share an instant across a page's end, and three share one instant more than a page holds.
        var minutesBefore = new[] { 0, 1, 1, 2, 3, 4, 4, 4 };
        for (var i = 0; i < minutesBefore.Length; i++)
        {
            await platform.Database.ScalarAsync<int>(
                "INSERT INTO user_disclosures (user_id, at, recipient, recipient_kind, fields, purpose, basis) VALUES ($1, $2, $3, 'DeliveryPartner', ARRAY['address'], 'delivery', 'ContractNecessity') RETURNING 1",
                user.UserId, newest.AddMinutes(-minutesBefore[i]), $"courier-{i}");
        }

        var pages = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/disclosures?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.Add(string.Join(",", page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("recipient").GetString()!).Order()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal(["courier-0", "courier-1,courier-2", "courier-3,courier-4", "courier-5,courier-6,courier-7", ""], pages);
        await (await client.GetAsync($"/v1/users/{user.UserId}/disclosures?cursor=not-a-cursor")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/v1/users/{user.UserId}/disclosures?cursor=-1")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P1_6_P3_1_a_wechat_payment_is_disclosed_to_the_payment_partner_with_its_basis()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        await shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice);

        var ledger = await Disclosures(shop);
        var payment = ledger.Single(d => d.GetProperty("recipientKind").GetString() == "payment-partner");
        Assert.Equal("wechat-pay", payment.GetProperty("recipient").GetString());
        Assert.Equal("contract-necessity", payment.GetProperty("basis").GetString());
        Assert.Contains("amountFen", payment.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task P1_6_P3_1_a_refunded_alipay_payment_goes_back_through_the_partner_as_a_recorded_disclosure()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.CustomerClient.PayAsync(placed.Id(), "alipay", CommerceApiClient.TeaPrice);
        await shop.CustomerClient.WaitForOrderStatusAsync(placed.Id(), "paid");

        var refunded = await shop.MerchantClient.SetStatusAsync(placed.Id(), "refunded");

        var payment = (await refunded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments")[0];
        Assert.StartsWith("sandbox-alipay-refund-", payment.GetProperty("refundReference").GetString(), StringComparison.Ordinal);
        var toPartner = (await Disclosures(shop)).Where(d => d.GetProperty("recipient").GetString() == "alipay").ToList();
        Assert.Equal(["payment", "refund"], toPartner.Select(d => d.GetProperty("purpose").GetString()).Order());
    }

    [Fact]
    public async Task P3_1_a_merchant_reading_an_order_is_a_recorded_disclosure_but_the_users_own_read_is_not()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();

        await shop.CustomerClient.GetAsync($"/v1/orders/{placed.Id()}");
        await shop.MerchantClient.GetAsync($"/v1/orders/{placed.Id()}");

        var ledger = await Disclosures(shop);
        var toMerchant = Assert.Single(ledger);
        Assert.Equal(shop.Merchant.MerchantId, toMerchant.GetProperty("recipient").GetString());
        Assert.Equal("merchant", toMerchant.GetProperty("recipientKind").GetString());
    }

    [Fact]
    public async Task P4_4_a_merchant_reading_an_order_in_a_loop_is_recorded_once_not_once_per_read()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await shop.MerchantClient.GetAsync($"/v1/orders/{placed.Id()}")).StatusCode);
            if (i == 10)
            {
                // Also across the user's activations: collected after 15 idle minutes, it came back remembering nothing,
                // and a till reading every 16 minutes wrote a row a read.
                await platform.Grains.GetGrain<IUserGrain>(shop.Customer.UserId).Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
            }
        }

        // The user's ledger, and so their export, holds the hand-over once, not a row per poll of the till.
        var toMerchant = Assert.Single(await Disclosures(shop));
        Assert.Equal(shop.Merchant.MerchantId, toMerchant.GetProperty("recipient").GetString());
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_disclosures WHERE user_id = $1", shop.Customer.UserId));
    }

    [Fact]
    public async Task P1_5_P3_1_fulfilment_discloses_the_delivery_details_to_the_delivery_partner()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        await shop.MerchantClient.PayAsync(placed.Id(), "marked", CommerceApiClient.TeaPrice);

        await shop.MerchantClient.SetStatusAsync(placed.Id(), "fulfilled");

        var delivery = (await Disclosures(shop)).Single(d => d.GetProperty("recipientKind").GetString() == "delivery-partner");
        Assert.Contains("address", delivery.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Theory]
    [InlineData(RecipientKind.AdvertisingPartner)]
    [InlineData(RecipientKind.AnalyticsPartner)]
    public async Task P3_1_advertising_and_analytics_partners_never_receive_a_users_data(RecipientKind kind)
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var shop = await platform.OpenShopAsync();
        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "marketing-sharing", true, version);
        var user = platform.Grains.GetGrain<IUserGrain>(shop.Customer.UserId);

        var refused = await Assert.ThrowsAsync<DomainException>(() => user.Disclose(new DisclosureRequest(
            "ad-network", kind, ["userId"], "ads", ConsentPurpose.MarketingSharing, null, "CN")));

        Assert.Equal("identifying-data-refused", refused.Code);
        Assert.Empty(await Disclosures(shop));
    }

    [Fact]
    public async Task P3_1_a_consent_based_disclosure_is_refused_once_the_consent_is_withdrawn()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var shop = await platform.OpenShopAsync();
        var user = platform.Grains.GetGrain<IUserGrain>(shop.Customer.UserId);
        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "marketing-sharing", true, version);
        var granted = await user.Disclose(new DisclosureRequest("sister-co", RecipientKind.Affiliate, ["nickname"], "offers", ConsentPurpose.MarketingSharing, null, "CN"));

        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "marketing-sharing", false, version);

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            user.Disclose(new DisclosureRequest("sister-co", RecipientKind.Affiliate, ["nickname"], "offers", ConsentPurpose.MarketingSharing, null, "CN")));
        Assert.Equal(LawfulBasis.Consent, granted.Basis);
        Assert.NotNull(granted.ConsentReceiptId);
        Assert.Equal("consent-required", refused.Code);
    }

    private async Task<List<JsonElement>> Disclosures(Shop shop) =>
        [.. (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}/disclosures"))
            .GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task P4_2_no_hand_over_to_a_party_in_another_region()
    {
        var shop = await platform.OpenShopAsync();
        var user = platform.Grains.GetGrain<IUserGrain>(shop.Customer.UserId);

        var refused = await Assert.ThrowsAsync<DomainException>(() => user.Disclose(new DisclosureRequest(
            "overseas-courier", RecipientKind.DeliveryPartner, ["address"], "delivery", null, LawfulBasis.ContractNecessity, "US")));

        Assert.Equal("cross-region-transfer", refused.Code);
        Assert.Empty(await Disclosures(shop));
    }
}
