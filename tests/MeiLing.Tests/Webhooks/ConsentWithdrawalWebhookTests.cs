using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Users;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Webhooks;

/// <summary>A consent withdrawn directly (not by a request) reaches the parties that received data under it.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ConsentWithdrawalWebhookTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_10_P3_1_a_direct_withdrawal_tells_each_merchant_that_received_data_under_that_consent_and_no_other()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shared = await platform.OpenShopAsync();
        var personalized = await platform.SecondShopForAsync(shared, "Personal Teas");
        await shared.MerchantClient.RegisterWebhookAsync(shared.Merchant.MerchantId, receiver);
        await personalized.MerchantClient.RegisterWebhookAsync(personalized.Merchant.MerchantId, receiver);
        var version = await platform.CurrentPolicyVersionAsync();
        var userId = shared.Customer.UserId;
        await shared.CustomerClient.SetConsentAsync(userId, "marketing-sharing", true, version);
        await shared.CustomerClient.SetConsentAsync(userId, "personalization", true, version);
        var user = platform.Grains.GetGrain<IUserGrain>(userId);
        await user.Disclose(new DisclosureRequest(
            shared.Merchant.MerchantId, RecipientKind.Merchant, ["nickname", "phone"], "joint-marketing", ConsentPurpose.MarketingSharing, null, "CN"));
        await user.Disclose(new DisclosureRequest(
            personalized.Merchant.MerchantId, RecipientKind.Merchant, ["nickname"], "recommendations", ConsentPurpose.Personalization, null, "CN"));

        await shared.CustomerClient.SetConsentAsync(userId, "marketing-sharing", false, version);
        // Written in the step that withdrew: on the outbox before the answer came back.
        var queued = await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE type = 'consent.withdrawn' AND body LIKE '%' || $1 || '%'", userId);
        var withdrawn = await receiver.WaitForAsync(r => r.Type == "consent.withdrawn" && r.Data.GetProperty("userId").GetString() == userId);

        Assert.Equal(1L, queued);
        Assert.Equal(shared.Merchant.MerchantId, withdrawn.Endpoint);
        Assert.True(withdrawn.Verified);
        Assert.Equal(["marketing-sharing"], withdrawn.Data.GetProperty("purposes").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE type = 'consent.withdrawn' AND recipient = $1", personalized.Merchant.MerchantId));
    }

    [Fact]
    public async Task P1_10_P3_1_a_hand_over_after_an_earlier_withdrawal_is_still_told_of_the_next_withdrawal()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var version = await platform.CurrentPolicyVersionAsync();
        var userId = shop.Customer.UserId;
        var user = platform.Grains.GetGrain<IUserGrain>(userId);

        // A first withdrawal, before anyone received anything: the user grain learns there is no one to tell.
        await shop.CustomerClient.SetConsentAsync(userId, "marketing-sharing", true, version);
        await shop.CustomerClient.SetConsentAsync(userId, "marketing-sharing", false, version);
        // Granted again and handed over in the same activation: the grain must remember this recipient.
        await shop.CustomerClient.SetConsentAsync(userId, "marketing-sharing", true, version);
        await user.Disclose(new DisclosureRequest(
            shop.Merchant.MerchantId, RecipientKind.Merchant, ["nickname"], "joint-marketing", ConsentPurpose.MarketingSharing, null, "CN"));

        await shop.CustomerClient.SetConsentAsync(userId, "marketing-sharing", false, version);
        var withdrawn = await receiver.WaitForAsync(r => r.Type == "consent.withdrawn" && r.Data.GetProperty("userId").GetString() == userId);

        Assert.Equal(shop.Merchant.MerchantId, withdrawn.Endpoint);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE type = 'consent.withdrawn' AND body LIKE '%' || $1 || '%'", userId));
    }
}
