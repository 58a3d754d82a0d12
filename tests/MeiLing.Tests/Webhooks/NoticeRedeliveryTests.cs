using System.Text.Json;
using MeiLing.Grains.DataRights;
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
    public async Task P1_10_P3_1_supports_list_of_failed_withdrawal_notices_shows_a_few_with_their_receipts_and_counts_the_rest_up_to_a_cap()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, receiptId, _) = await platform.WithdrawalTellingTheMerchantAsync(receiver, "failed");
        // More failed withdrawal notices than the count goes to, all failing after this one (so it stays among the oldest).
        const string fake = "rcp_zzcountcap";
        Assert.Equal(IRequestRecipientsGrain.FailedWithdrawalsCounted + 5L, await platform.Database.ScalarAsync<long>(
            """
            WITH listed AS (
                INSERT INTO request_recipients (request_id, recipient, recipient_kind, listed_at, attempts, failed_at)
                SELECT $1 || lpad(i::text, 8, '0'), 'mer_countcap', 'Merchant', now(), 9, now() + interval '1 day' + i * interval '1 second'
                  FROM generate_series(1, $2) i
                RETURNING 1)
            SELECT count(*) FROM listed
            """, fake, IRequestRecipientsGrain.FailedWithdrawalsCounted + 5));
        try
        {
            var failed = await platform.Grains.GetGrain<IRequestRecipientsGrain>(0).FailedWithdrawals(IRequestRecipientsGrain.MaxFailedWithdrawals + 1);

            var ours = Assert.Single(failed.Items, notice => notice.Receipt.ReceiptId == receiptId);
            Assert.Equal(shop.Customer.UserId, ours.Receipt.UserId);
            Assert.Equal((shop.Merchant.MerchantId, RequestRecipient.Failed), (ours.Recipient.Recipient, ours.Recipient.Status));
            // A receipt no grain holds is left out; the count is of the listing, capped, and says it was.
            Assert.DoesNotContain(failed.Items, notice => notice.Receipt.ReceiptId.StartsWith(fake, StringComparison.Ordinal));
            Assert.Equal(IRequestRecipientsGrain.FailedWithdrawalsCounted, failed.Total);
            Assert.True(failed.TotalCapped);
        }
        finally
        {
            await platform.Database.ScalarAsync<long>("DELETE FROM request_recipients WHERE starts_with(request_id, $1)", fake);
        }
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
        // *reviewer*: well formed but for a last line feed, which `$` let through to the handler and the audit log.
        var withALineFeed = await support.PostAsync($"/v1/requests/{requestId}/recipients/alipay%0A/redelivery", null);

        await byUser.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byMerchant.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byCashier.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byOperator.AssertProblemAsync(HttpStatusCode.Forbidden);
        await toATold.AssertProblemAsync(HttpStatusCode.Conflict);
        await toAStranger.AssertProblemAsync(HttpStatusCode.NotFound);
        await malformed.AssertProblemAsync(HttpStatusCode.NotFound);
        await withALineFeed.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE (action || coalesce(detail, '')) LIKE '%alipay' || chr(10) || '%' AND (action || coalesce(detail, '')) LIKE '%' || $1 || '%'", requestId));
        // The told merchant's delivery stays delivered: nothing was put back in the outbox for it.
        Assert.Equal("delivered", await platform.Database.ScalarAsync<string>(
            "SELECT status FROM webhook_outbox WHERE request_id = $1 AND recipient = $2", requestId, shop.Merchant.MerchantId));
    }
}
