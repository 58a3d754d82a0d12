using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Webhooks;

/// <summary>
/// A recipient whose retries ran out is not left <c>failed</c> for good: support sends its notice again, the same
/// event signed afresh, once the endpoint answers (P3.1), audited as every support action is (P1.7); nobody else can,
/// and support cannot resend to a recipient still being tried or already told.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class NoticeRedeliveryTests(PlatformFixture platform)
{
    [Fact]
    public async Task P3_1_P1_7_support_resends_a_failed_notice_once_the_endpoint_answers_and_the_merchant_receives_the_same_event_signed()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery());
        var agent = await platform.EnrolStaffAsync("Agent Redelivery", "support");
        var support = platform.Client(agent.ApiKey);
        var requestId = (await shop.CustomerClient.FileRequestAsync(
            shop.Customer.UserId, new { type = "correction", details = new { delivery = new { doorNumber = "5-502" } } })).RequestId();
        var failed = await shop.CustomerClient.WaitForRecipientAsync(requestId, shop.Merchant.MerchantId, "failed");
        var refused = receiver.Received.Last(r => r.Endpoint == shop.Merchant.MerchantId);

        receiver.ComeBack();
        var redelivered = await support.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/redelivery", null);
        var told = await shop.CustomerClient.WaitForRecipientAsync(requestId, shop.Merchant.MerchantId, "notified");
        var received = await receiver.WaitForAsync(r => r.Endpoint == shop.Merchant.MerchantId && r.Answered == 200);
        var again = await support.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/redelivery", null);

        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.NotEqual("failed", (await redelivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        // The same event (the webhook-id the merchant de-duplicates by, the same body), signed with the merchant's secret.
        Assert.True(received.Verified);
        Assert.Equal(refused.WebhookId, received.WebhookId);
        Assert.Equal(refused.Body, received.Body);
        Assert.Equal("customer.updated", received.Type);
        Assert.Equal(failed.GetProperty("attempts").GetInt32() + 1, told.GetProperty("attempts").GetInt32());
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        // Both calls, the refused one too, are in the audit log with the request and the recipient named.
        Assert.Equal(2L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action LIKE '%/redelivery' AND detail LIKE '%' || $2 || '%' AND detail LIKE '%' || $3 || '%'",
            agent.StaffId, requestId, shop.Merchant.MerchantId));
    }

    [Fact]
    public async Task P1_10_P3_1_support_resends_a_failed_withdrawal_notice_under_its_receipt()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Receipt Redelivery", "support")).ApiKey);
        var (shop, receiptId, _) = await platform.WithdrawalTellingTheMerchantAsync(receiver, "failed");

        receiver.ComeBack();
        var redelivered = await support.PostAsync($"/v1/consent-records/{receiptId}/recipients/{shop.Merchant.MerchantId}/redelivery", null);
        await shop.CustomerClient.WaitForReceiptRecipientAsync(receiptId, "notified", shop.Merchant.MerchantId);
        var received = await receiver.WaitForAsync(r => r.Endpoint == shop.Merchant.MerchantId && r.Answered == 200);

        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.True(received.Verified);
        Assert.Equal("consent.withdrawn", received.Type);
        Assert.Equal(receiptId, received.Data.GetProperty("receiptId").GetString());
    }

    [Fact]
    public async Task P1_7_only_support_resends_a_notice_and_only_to_a_failed_recipient_of_that_request()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent No Spam", "support")).ApiKey);
        var cashierKey = (await (await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/staff", new { name = "Sun", role = "cashier" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        await shop.CustomerClient.WaitForRecipientAsync(requestId, shop.Merchant.MerchantId, "notified");
        var path = $"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/redelivery";

        var byUser = await shop.CustomerClient.PostAsync(path, null);
        var byMerchant = await shop.MerchantClient.PostAsync(path, null);
        var byCashier = await platform.Client(cashierKey).PostAsync(path, null);
        var byOperator = await platform.Operator().PostAsync(path, null);
        var toATold = await support.PostAsync(path, null);
        var toAStranger = await support.PostAsync($"/v1/requests/{requestId}/recipients/alipay/redelivery", null);
        var malformed = await support.PostAsync($"/v1/requests/{requestId}/recipients/%20x%0a/redelivery", null);

        await byUser.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byMerchant.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byCashier.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byOperator.AssertProblemAsync(HttpStatusCode.Forbidden);
        await toATold.AssertProblemAsync(HttpStatusCode.Conflict);
        await toAStranger.AssertProblemAsync(HttpStatusCode.NotFound);
        await malformed.AssertProblemAsync(HttpStatusCode.NotFound);
        // The told merchant's delivery stays delivered: nothing was put back in the outbox for it.
        Assert.Equal("delivered", await platform.Database.ScalarAsync<string>(
            "SELECT status FROM webhook_outbox WHERE request_id = $1 AND recipient = $2", requestId, shop.Merchant.MerchantId));
    }
}
