using MeiLing.Grains.Merchants;
using MeiLing.Grains.Privacy;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Webhooks;

[StatelessWorker]
internal sealed class MerchantWebhooksGrain(
    WebhookOutboxStore store, WebhookSecrets secrets, IOptions<PrivacySettings> privacy, TimeProvider clock) : Grain, IMerchantWebhooksGrain
{
    async Task<WebhookEndpointIssued> IMerchantWebhooksGrain.Register(string merchantId, string url, IReadOnlyList<string> events)
    {
        RefuseClosed(await EnsureMerchantAsync(merchantId));
        if (events.FirstOrDefault(type => !WebhookEvents.All.Contains(type)) is { } unknown)
        {
            throw DomainException.InvalidField("events", "unknown-event-type", $"Unknown event type '{unknown}'.");
        }

        // A merchant chooses among the other events; the notices of users' rights reach it whatever it names.
        var taken = WebhookEvents.TakenBy(events);
        var secret = WebhookSecrets.NewSecret();
        await store.UpsertEndpointAsync(merchantId, url, taken, await secrets.SealAsync(merchantId, secret), clock.GetUtcNow());
        return new WebhookEndpointIssued(url, taken, secret);
    }

    async Task IMerchantWebhooksGrain.EnsureChangeable(string merchantId) => RefuseClosed(await EnsureMerchantAsync(merchantId));

    async Task<WebhookEndpoint?> IMerchantWebhooksGrain.Get(string merchantId) =>
        await store.EndpointAsync(merchantId) is { } endpoint ? new WebhookEndpoint(endpoint.Url, endpoint.Events) : null;

    Task<bool> IMerchantWebhooksGrain.Remove(string merchantId) => store.DeleteEndpointAsync(merchantId);

    async Task<string> IMerchantWebhooksGrain.RotateSecret(string merchantId)
    {
        RefuseClosed(await GrainFactory.GetGrain<IMerchantGrain>(merchantId).Get());
        var secret = WebhookSecrets.NewSecret();
        return await store.ReplaceSecretAsync(merchantId, await secrets.SealAsync(merchantId, secret), clock.GetUtcNow())
            ? secret
            : throw DomainException.NotFound("webhook-not-found", "This merchant has no webhook endpoint.");
    }

    Task<WebhookDeliveryPage> IMerchantWebhooksGrain.Deliveries(string merchantId, string? status, string? cursor, int limit) =>
        store.DeliveriesAsync(merchantId, status, cursor, Math.Clamp(limit, 1, IMerchantWebhooksGrain.MaxPageSize));

    async Task<bool> IMerchantWebhooksGrain.Retry(string deliveryId, string? merchantId) =>
        await store.RetryAsync(deliveryId, merchantId, clock.GetUtcNow(), clock.GetUtcNow() - privacy.Value.WebhookRetention) switch
        {
            RetryOutcome.Retried => true,
            // P3.1: re-pointing the endpoint and retrying would hand the merchant's past notices to whoever the new URL names.
            RetryOutcome.DeliveredElsewhere => throw DomainException.Conflict(
                "delivered-elsewhere", "This delivery was delivered to another endpoint URL; it is sent again only to that one."),
            // P4.1: retried, it would finish anew and start its retention over; its body names users.
            RetryOutcome.Expired => throw DomainException.Conflict(
                "delivery-expired", "This delivery is older than the outbox keeps deliveries; it is not sent again."),
            // P3.1, P8.1 (*reviewer*): with no endpoint nothing can send it; retried every few days, a notice the merchant
            // removed its endpoint to avoid was never shown failed (its wait to fail started over), and support's re-send,
            // which needs it failed, was refused all the while.
            RetryOutcome.NoEndpoint => throw DomainException.Conflict(
                "no-endpoint", "The merchant has no webhook endpoint; register one, then retry. The delivery is left as it was."),
            _ => false,
        };

    Task<bool> IMerchantWebhooksGrain.DeliveryExists(string deliveryId) => store.MerchantDeliveryExistsAsync(deliveryId);

    private async Task<MerchantView> EnsureMerchantAsync(string merchantId) =>
        await GrainFactory.GetGrain<IMerchantGrain>(merchantId).Get()
        ?? throw DomainException.NotFound("merchant-not-found", "No such merchant.");

    /// <summary>
    /// P3.1, P4.3 (*reviewer*): past its closing date a merchant's endpoint is not set, re-pointed or given a new secret, by
    /// an operator either (its own keys have ended): its failed notices of users' rights, retried, would reach whatever URL
    /// was named, signed as the platform's. Removing it stays allowed: it sends nothing anywhere.
    /// </summary>
    private void RefuseClosed(MerchantView? merchant)
    {
        if (Access.ClosedMerchantKeys.EndedWith(merchant, clock.GetUtcNow()))
        {
            throw DomainException.Conflict("merchant-closed", "This merchant closed; its webhook endpoint is no longer set or changed.");
        }
    }
}
