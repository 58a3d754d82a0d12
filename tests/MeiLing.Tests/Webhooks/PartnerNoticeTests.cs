using System.Text.Json;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Retail;

namespace MeiLing.Tests.Webhooks;

/// <summary>P3.1: partners outside the platform told of data-rights events at the URLs their operator configured.</summary>
[Collection(PartnerNoticeCollection.Name)]
public sealed class PartnerNoticeTests(PartnerNoticeFixture platform)
{
    private const string Partner = TestSiloConfigurator.DeliveryPartner;

    // The delivery partner, handed every fulfilled delivery, was told of its customers' erasures and corrections only by the
    // sandbox, which also answered "confirmed" for it: a production silo had nothing to tell it with, so every such notice
    // retried for four days and failed. It is now sent to the partner's URL, signed with the partner's own secret, and the
    // recipient is confirmed only when the partner says so, signed, through its confirmation route.
    [Fact]
    public async Task P3_1_the_delivery_partner_is_told_of_a_correction_signed_with_its_own_secret_and_is_confirmed_only_by_its_signed_word()
    {
        var (shop, order) = await DeliveredThroughThePartnerAsync();

        var requestId = (await shop.CustomerClient.FileRequestAsync(
            shop.Customer.UserId, new { type = "correction", details = new { delivery = new { doorNumber = "7-701" } } })).RequestId();
        var notice = await platform.Partner.WaitForAsync(received => received.Endpoint == Partner && received.Body.Contains(requestId, StringComparison.Ordinal));
        var notified = await shop.CustomerClient.WaitForRecipientAsync(requestId, Partner, "notified");
        var confirmation = await platform.PostSignedAsync(
            $"/v1/payment-partners/{Partner}/recipient-confirmations", JsonSerializer.Serialize(new { causeId = requestId }),
            TestSiloConfigurator.PartnerSecretsByName[Partner]);
        var confirmed = await shop.CustomerClient.WaitForRecipientAsync(requestId, Partner, "confirmed");

        Assert.True(notice.Verified);
        Assert.Equal("customer.updated", notice.Type);
        Assert.Equal([order], notice.Data.GetProperty("orderIds").EnumerateArray().Select(id => id.GetString()));
        // P3.1: the partner received a delivery, never the platform's user id, which would link the person's orders everywhere.
        Assert.False(notice.Data.TryGetProperty("userId", out _));
        Assert.DoesNotContain(shop.Customer.UserId, notice.Body, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, notified.GetProperty("confirmedAt").ValueKind);
        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
        Assert.Equal(JsonValueKind.String, confirmed.GetProperty("confirmedAt").ValueKind);
    }

    // A partner's URL that answers 503 is not "notified": the outbox tries again, as it does a merchant's endpoint.
    [Fact]
    public async Task P3_1_a_partner_notice_refused_by_its_url_is_retried_and_not_counted_as_notified()
    {
        var (shop, _) = await DeliveredThroughThePartnerAsync();
        platform.RefuseNext(1);

        var requestId = (await shop.CustomerClient.FileRequestAsync(
            shop.Customer.UserId, new { type = "correction", details = new { delivery = new { doorNumber = "8-801" } } })).RequestId();
        var second = await platform.Partner.WaitForAsync(received =>
            received.Endpoint == Partner && received.Body.Contains(requestId, StringComparison.Ordinal) && received.Attempt == 2);
        var notified = await shop.CustomerClient.WaitForRecipientAsync(requestId, Partner, "notified");

        Assert.True(second.Verified);
        Assert.Equal(2, notified.GetProperty("attempts").GetInt32());
    }

    // A paid order with a delivery, fulfilled: the delivery partner received the customer's address for it.
    private async Task<(Shop Shop, string OrderId)> DeliveredThroughThePartnerAsync()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        await shop.MerchantClient.PaidAsync(order.Id(), "marked", order.GetProperty("totalFen").GetInt64());
        (await shop.MerchantClient.SetStatusAsync(order.Id(), "fulfilled")).EnsureSuccessStatusCode();
        return (shop, order.Id());
    }
}
