using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Users;
using MeiLing.Grains.Merchants;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Infrastructure;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Webhooks;

[Collection(TimeTravelCollection.Name)]
public sealed class UnconfirmedRecipientTests(TimeTravelFixture platform)
{
    // P8.1: the request itself is answered on the platform's own clock; a recipient that has not confirmed
    // 15 days after it was told is support's to chase, and drops off the list once it confirms.
    [Fact]
    public async Task P8_1_a_request_with_a_recipient_unconfirmed_15_days_after_notice_is_listed_for_support_until_it_confirms()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Unconfirmed", "support")).ApiKey);
        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        var completed = await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive();

        var early = await support.GetFromJsonAsync<JsonElement>("/v1/requests?unconfirmedRecipients=true&limit=500");
        platform.Clock.Advance(TimeSpan.FromDays(16));
        var late = await support.GetFromJsonAsync<JsonElement>("/v1/requests?unconfirmedRecipients=true&limit=500");
        var confirmed = await shop.MerchantClient.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/confirmation", null);
        var after = await support.GetFromJsonAsync<JsonElement>("/v1/requests?unconfirmedRecipients=true&limit=500");

        Assert.Equal(DataRightsRequestStatus.Completed, completed.Status);
        Assert.DoesNotContain(early.GetProperty("items").EnumerateArray(), r => r.RequestId() == requestId);
        Assert.Contains(late.GetProperty("items").EnumerateArray(), r => r.RequestId() == requestId);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), r => r.RequestId() == requestId);
    }

    // P8.1: an access request's recipient whose endpoint leaves customer.data_request out is told nothing; it was listed
    // "pending" for good, and after 15 days support was sent to chase a confirmation no one had asked for, with no way
    // to clear it (a re-send needs a failed notice).
    [Fact]
    public async Task P8_1_a_recipient_whose_endpoint_takes_no_such_event_is_shown_not_told_and_is_never_chased()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        (await shop.MerchantClient.PutAsJsonAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/webhook", new { url = receiver.UrlOf(shop.Merchant.MerchantId), events = new[] { "member_card.settled" } }))
            .EnsureSuccessStatusCode();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Not Told", "support")).ApiKey);
        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive();

        platform.Clock.Advance(TimeSpan.FromDays(16));
        var late = await support.GetFromJsonAsync<JsonElement>("/v1/requests?unconfirmedRecipients=true&limit=500");
        var recipient = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}"))
            .GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == shop.Merchant.MerchantId);

        Assert.Equal("not-told", recipient.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, recipient.GetProperty("eventType").ValueKind);
        Assert.DoesNotContain(late.GetProperty("items").EnumerateArray(), r => r.RequestId() == requestId);
    }

    // P3.1, P8.1: a merchant closed since it read the user's order was still sent the user's id at its old endpoint, listed
    // "notified", and chased by support for good: its revoked key could never confirm, and a re-send needs a failed notice.
    // Then it was listed not-told, and the privacy center told the user its endpoint takes no such event (*reviewer*).
    [Fact]
    public async Task P3_1_P8_1_a_merchant_closed_since_it_received_the_users_data_is_sent_nothing_shown_closed_and_never_chased()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        var orderId = (await shop.PlaceOrderAsync()).Id();
        (await shop.MerchantClient.GetAsync($"/v1/orders/{orderId}")).EnsureSuccessStatusCode();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Closed Shop", "support")).ApiKey);
        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId).CompleteTerminationIfDue();
        await receiver.WaitForAsync(r => r.Endpoint == shop.Merchant.MerchantId && r.Type == "shop.redact");

        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        var completed = await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive();
        platform.Clock.Advance(TimeSpan.FromDays(16));
        var late = await support.GetFromJsonAsync<JsonElement>("/v1/requests?unconfirmedRecipients=true&limit=500");
        var recipient = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}"))
            .GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == shop.Merchant.MerchantId);
        var page = await (await platform.PrivacyCenterAsync(shop.Customer)).GetStringAsync("/privacy/requests");

        Assert.Equal(DataRightsRequestStatus.Completed, completed.Status);
        Assert.Equal("closed", recipient.GetProperty("status").GetString());
        // The user reads that the merchant closed, not that its endpoint takes no such event (*reviewer*).
        Assert.Contains($"data-recipient=\"{shop.Merchant.MerchantId}\" data-status=\"closed\"", page, StringComparison.Ordinal);
        Assert.Contains("closed: the merchant has ended its business", page, StringComparison.Ordinal);
        Assert.DoesNotContain("takes no event of this kind", page, StringComparison.Ordinal);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE recipient = $1 AND request_id = $2", shop.Merchant.MerchantId, requestId));
        Assert.DoesNotContain(late.GetProperty("items").EnumerateArray(), r => r.RequestId() == requestId);
    }

    // P3.1, P4.3, P8.1: a merchant told of a user's request while it was closing, that closed before it confirmed, could
    // confirm nothing any more (its key revoked): support was sent after it for good, a re-send was refused, and retries
    // still carried the user's id to an endpoint that may be anyone's by then.
    [Fact]
    public async Task P3_1_P8_1_a_merchant_that_closes_after_it_was_told_is_sent_nothing_more_shown_closed_and_no_longer_chased()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var shop = await platform.OpenShopAsync();
        var orderId = (await shop.PlaceOrderAsync()).Id();
        (await shop.MerchantClient.GetAsync($"/v1/orders/{orderId}")).EnsureSuccessStatusCode();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Closing Shop", "support")).ApiKey);
        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive();
        var told = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}"))
            .GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == shop.Merchant.MerchantId);

        platform.Clock.Advance(TimeSpan.FromDays(31));
        await Polling.RetryingWhileUnavailableAsync(() => platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId).CompleteTerminationIfDue());
        platform.Clock.Advance(TimeSpan.FromDays(16));
        var late = await support.UnconfirmedRequestIdsAsync();
        var recipient = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}"))
            .GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == shop.Merchant.MerchantId);
        var resent = await support.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/redelivery", null);

        Assert.NotEqual("not-told", told.GetProperty("status").GetString());
        Assert.Equal("closed", recipient.GetProperty("status").GetString());
        Assert.DoesNotContain(requestId, late);
        await resent.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE recipient = $1 AND request_id = $2 AND status = 'pending'", shop.Merchant.MerchantId, requestId));
    }

    // P1.10, P3.1, P8.1: a party told of a direct withdrawal that took the notice and never said it stopped was chased by
    // no one: support's lists held requests and objections, and a withdrawal's only once its notice had failed.
    [Fact]
    public async Task P1_10_P3_1_a_party_that_took_a_withdrawal_notice_and_never_confirmed_it_is_on_supports_list_after_15_days_until_it_does()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (shop, receiptId, _) = await platform.WithdrawalTellingTheMerchantAsync(receiver, "notified");
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Withdrawals", "support")).ApiKey);

        var early = await support.UnconfirmedItemsAsync("/v1/consent-records");
        platform.Clock.Advance(TimeSpan.FromDays(16));
        var late = await support.UnconfirmedItemsAsync("/v1/consent-records");
        var byTheUser = await shop.CustomerClient.GetAsync("/v1/consent-records?unconfirmedRecipients=true");
        var withoutTheFlag = await support.GetAsync("/v1/consent-records");
        var confirmed = await shop.MerchantClient.PostAsync($"/v1/consent-records/{receiptId}/recipients/{shop.Merchant.MerchantId}/confirmation", null);
        var after = await support.UnconfirmedItemsAsync("/v1/consent-records");

        Assert.DoesNotContain(early, item => item.GetProperty("receipt").GetProperty("receiptId").GetString() == receiptId);
        var listed = Assert.Single(late, item => item.GetProperty("receipt").GetProperty("receiptId").GetString() == receiptId);
        Assert.Equal(shop.Customer.UserId, listed.GetProperty("receipt").GetProperty("userId").GetString());
        var party = Assert.Single(listed.GetProperty("recipients").EnumerateArray());
        Assert.Equal((shop.Merchant.MerchantId, "notified"), (party.GetProperty("recipient").GetString(), party.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, byTheUser.StatusCode);
        await withoutTheFlag.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.DoesNotContain(after, item => item.GetProperty("receipt").GetProperty("receiptId").GetString() == receiptId);
        // P1.7: the user's access log shows support listed their withdrawal.
        Assert.True(await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'GET /v1/consent-records%' AND detail LIKE '%' || $2 || '%'",
            shop.Customer.UserId, receiptId) >= 1);
    }

    // P1.10, P3.1, P4.3: a withdrawal made directly told a merchant closed since it received the user's data, as a request
    // no longer did: the user's id went to an endpoint the merchant no longer answers for, listed for a key that confirms nothing.
    [Fact]
    public async Task P1_10_P3_1_a_direct_withdrawal_sends_nothing_to_a_merchant_closed_since_and_lists_it_closed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var version = await platform.CurrentPolicyVersionAsync();
        await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, "marketing-sharing", true, version);
        await platform.Grains.GetGrain<IUserGrain>(shop.Customer.UserId).Disclose(new DisclosureRequest(
            shop.Merchant.MerchantId, RecipientKind.Merchant, ["nickname"], "joint-marketing", ConsentPurpose.MarketingSharing, null, "CN"));
        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId).CompleteTerminationIfDue();
        var user = await platform.AsUserAsync(shop.Customer);

        var receiptId = (await user.SetConsentAsync(shop.Customer.UserId, "marketing-sharing", false, await platform.CurrentPolicyVersionAsync())).ReceiptId;
        var recipient = Assert.Single((await user.GetFromJsonAsync<JsonElement>($"/v1/consent-records/{receiptId}/recipients")).GetProperty("items").EnumerateArray());

        Assert.Equal((shop.Merchant.MerchantId, "closed"), (recipient.GetProperty("recipient").GetString(), recipient.GetProperty("status").GetString()));
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE recipient = $1 AND type = 'consent.withdrawn'", shop.Merchant.MerchantId));
    }

    // P3.1, P4.3 (*reviewer*): a closing stopped only the notices still pending; one that had already failed kept its
    // reason, so an operator re-pointed the closed merchant's endpoint at a URL of their choosing and retried it: the
    // user's customer.updated, signed as the platform's, reached that URL.
    [Fact]
    public async Task P3_1_P4_3_a_closed_merchants_failed_notice_cannot_be_re_pointed_or_retried_to_another_endpoint()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        await using var elsewhere = await WebhookReceiver.StartAsync();
        var (shop, requestId) = await platform.CorrectionWhoseNoticeFailedAsync(receiver, "9-903");
        var merchantId = shop.Merchant.MerchantId;
        var operatorKey = platform.Operator();
        (await operatorKey.PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        platform.Clock.Advance(TimeSpan.FromDays(31));
        var pastItsDate = await operatorKey.PutAsJsonAsync($"/v1/merchants/{merchantId}/webhook", new { url = elsewhere.UrlOf(merchantId) });
        await Polling.RetryingWhileUnavailableAsync(() => platform.Grains.GetGrain<IMerchantGrain>(merchantId).CompleteTerminationIfDue());

        var failed = (await operatorKey.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}/webhook-deliveries?status=failed"))
            .GetProperty("items").EnumerateArray().Single(d => d.GetProperty("type").GetString() == "customer.updated");
        var deliveryId = failed.GetProperty("deliveryId").GetString()!;
        var repointed = await operatorKey.PutAsJsonAsync($"/v1/merchants/{merchantId}/webhook", new { url = elsewhere.UrlOf(merchantId) });
        var rotated = await operatorKey.PostAsync($"/v1/merchants/{merchantId}/webhook/secret", null);
        var retried = await operatorKey.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null);
        // A notice a closing stopped before it was marked so (its reason left as it failed), its endpoint re-pointed then: the
        // retry is refused all the same, for its listing is closed.
        await platform.Database.ScalarAsync<int>(
            "UPDATE webhook_outbox SET failure_reason = NULL WHERE delivery_id = $1 RETURNING 1", deliveryId);
        await platform.Database.ScalarAsync<int>(
            "UPDATE merchant_webhooks SET url = $2 WHERE merchant_id = $1 RETURNING 1", merchantId, elsewhere.UrlOf(merchantId));
        var retriedAfterAll = await operatorKey.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null);
        // Nothing is due to be sent: no wait for a dispatcher that has nothing to send.
        var due = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE delivery_id = $1 AND status <> 'failed'", deliveryId);
        var recipient = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}"))
            .GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == merchantId);

        Assert.EndsWith("/merchant-closed", (await pastItsDate.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/merchant-closed", (await repointed.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/merchant-closed", (await rotated.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("merchant-closed", failed.GetProperty("failureReason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, retried.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, retriedAfterAll.StatusCode);
        Assert.Equal(0L, due);
        Assert.Equal("closed", recipient.GetProperty("status").GetString());
        // Its own shop.redact may go there (the endpoint was re-pointed by hand above); no notice naming a user does.
        Assert.DoesNotContain(elsewhere.Received, r => r.Type is "customer.updated" or "customer.redact");
        // P1.7 (*reviewer*): the refused changes left no entry in the append-only log: the last change it shows is the
        // merchant's own registration, before the closing.
        var changes = (await operatorKey.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}/webhook/changes")).GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(changes, change => change.GetProperty("byRole").GetString() == "operator");
    }

    // P3.1, P4.3, P8.1 (*reviewer*): past its closing date, while its erasure walk had yet to finish (a large or stalled
    // merchant), a merchant was still sent the user's id on every request: its keys had ended, so no one could confirm it,
    // and support chased it. From its closing date it is listed closed, as its keys end.
    [Fact]
    public async Task P3_1_P4_3_a_merchant_past_its_closing_date_whose_erasure_has_not_finished_is_sent_nothing_and_shown_closed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        var orderId = (await shop.PlaceOrderAsync()).Id();
        (await shop.MerchantClient.GetAsync($"/v1/orders/{orderId}")).EnsureSuccessStatusCode();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();
        platform.Clock.Advance(TimeSpan.FromDays(31));

        // The walk has not come to this customer: the merchant is closing, past its date, not yet closed.
        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        await platform.Grains.GetGrain<IDataRightsRequestGrain>(requestId).Drive();
        var recipient = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}"))
            .GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == shop.Merchant.MerchantId);

        Assert.Equal(MerchantStatus.Terminating, (await platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId).Get())!.Status);
        Assert.Equal("closed", recipient.GetProperty("status").GetString());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_outbox WHERE recipient = $1 AND request_id = $2", shop.Merchant.MerchantId, requestId));
    }

    [Fact]
    public async Task P4_3_a_merchant_hears_by_a_signed_shop_redact_once_its_termination_has_erased_its_data()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/termination", new { noticeDays = 30 });

        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IMerchantGrain>(shop.Merchant.MerchantId).CompleteTerminationIfDue();
        var redact = await receiver.WaitForAsync(r => r.Type == "shop.redact");

        Assert.True(redact.Verified);
        Assert.Equal(shop.Merchant.MerchantId, redact.Data.GetProperty("merchantId").GetString());
    }
}
