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
    public async Task P4_1_P3_1_a_retried_delivery_whose_merchant_removed_its_endpoint_fails_is_chased_by_support_kept_while_untold_and_erased_after_retention_once_confirmed()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, requestId) = await platform.CorrectionWhoseNoticeFailedAsync(receiver, "5-502");
        var merchantId = shop.Merchant.MerchantId;
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Endpoint Removed", "support")).ApiKey);
        var failed = (await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}/webhook-deliveries?status=failed"))
            .GetProperty("items").EnumerateArray().Single();
        var eventId = failed.GetProperty("eventId").GetString()!;

        // The merchant removes its endpoint and retries the delivery (or retries, then removes it): nothing can send it now.
        Assert.Equal(HttpStatusCode.NoContent, (await shop.MerchantClient.DeleteAsync($"/v1/merchants/{merchantId}/webhook")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await shop.MerchantClient.PostAsync($"/v1/webhook-deliveries/{failed.GetProperty("deliveryId").GetString()}/retry", null)).StatusCode);
        var retried = await shop.MerchantClient.WaitForDeliveryAsync(merchantId, eventId, "pending");

        // Past the time its retries would have lasted, the sweep fails it with its reason.
        platform.Clock.Advance(TimeSpan.FromDays(5));
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();
        var given = await shop.MerchantClient.WaitForDeliveryAsync(merchantId, eventId, "failed", seconds: 5);
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
