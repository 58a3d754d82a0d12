using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Retention;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Webhooks;

/// <summary>
/// A delivery whose merchant removed its endpoint can never be sent: it waited pending for ever, its body naming the user
/// out of the retention sweep's reach, and the request showed the merchant on its way. It now ends failed (P3.1), shown so
/// to the user and listed for support, and is erased after the retention window like any finished delivery (P4.1) once
/// its recipient is no longer waiting for it: a re-send needs it until then (P3.1).
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class WebhookEndpointRemovedTests(TimeTravelFixture platform)
{
    [Fact]
    public async Task P4_1_P3_1_P8_1_a_retried_delivery_whose_merchant_removed_its_endpoint_fails_in_its_time_is_chased_by_support_kept_while_untold_and_erased_after_retention_once_confirmed()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, requestId) = await platform.CorrectionWhoseNoticeFailedAsync(receiver, "5-502");
        var merchantId = shop.Merchant.MerchantId;
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Endpoint Removed", "support")).ApiKey);
        var failed = (await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}/webhook-deliveries?status=failed"))
            .GetProperty("items").EnumerateArray().Single();
        var eventId = failed.GetProperty("eventId").GetString()!;

        // The merchant retries the delivery, then removes its endpoint: nothing can send it now. No sender takes the delivery
        // up in between: the attempt the retry allows would fail on the receiver, which is down, and end it failed again.
        var retry = $"/v1/webhook-deliveries/{failed.GetProperty("deliveryId").GetString()}/retry";
        var retried = await platform.Database.WhileRefusingAsync("webhook_outbox", $"NEW.event_id = '{eventId}' AND NEW.leased_by IS NOT NULL", async () =>
        {
            Assert.Equal(HttpStatusCode.Accepted, (await shop.MerchantClient.PostAsync(retry, null)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await shop.MerchantClient.DeleteAsync($"/v1/merchants/{merchantId}/webhook")).StatusCode);
            return await shop.MerchantClient.WaitForDeliveryAsync(merchantId, eventId, "pending");
        });

        // P3.1, P8.1 (*reviewer*): retried again every few days without an endpoint, its wait to fail started over each time,
        // and it was never shown failed. A retry with no endpoint is refused and changes nothing; the wait ends in its time.
        platform.Clock.Advance(TimeSpan.FromDays(3));
        var retriedWithoutAnEndpoint = await shop.MerchantClient.PostAsync(retry, null);
        platform.Clock.Advance(TimeSpan.FromDays(2));
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();
        var given = await shop.MerchantClient.WaitForDeliveryAsync(merchantId, eventId, "failed", seconds: 5);
        var retriedOnceFailed = await shop.MerchantClient.PostAsync(retry, null);
        var stillFailed = await shop.MerchantClient.WaitForDeliveryAsync(merchantId, eventId, "failed", seconds: 5);
        Assert.EndsWith("/no-endpoint", (await retriedWithoutAnEndpoint.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/no-endpoint", (await retriedOnceFailed.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("no-endpoint", stillFailed.GetProperty("failureReason").GetString());
        var shown = await shop.CustomerClient.WaitForRecipientAsync(requestId, merchantId, "failed");
        var chased = await support.UnconfirmedRequestIdsAsync();

        // Past the retention window it is kept while the merchant was never told (the only copy a re-send can send, P3.1),
        // and erased at the sweep after the merchant says it acted.
        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();
        var keptUntold = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE event_id = $1", eventId);
        var recipientAfter = await shop.CustomerClient.WaitForRecipientAsync(requestId, merchantId, "failed");
        Assert.Equal(HttpStatusCode.OK, (await shop.MerchantClient.PostAsync($"/v1/requests/{requestId}/recipients/{merchantId}/confirmation", null)).StatusCode);
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();
        var left = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE event_id = $1", eventId);

        Assert.Equal(JsonValueKind.Null, retried.GetProperty("failureReason").ValueKind);
        Assert.Equal("no-endpoint", given.GetProperty("failureReason").GetString());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("confirmedAt").ValueKind);
        Assert.Contains(requestId, chased);
        Assert.Equal(1L, keptUntold);
        Assert.Equal(0L, left);
        // The request keeps the merchant listed, failed and unconfirmed, after the delivery's body is gone.
        Assert.Equal(JsonValueKind.Null, recipientAfter.GetProperty("notifiedAt").ValueKind);
    }
}
