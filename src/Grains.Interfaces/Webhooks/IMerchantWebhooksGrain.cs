namespace MeiLing.Grains.Webhooks;

/// <summary>
/// Merchants' webhook endpoints and the deliveries to them. Stateless: endpoints and the outbox live in
/// tables, and silos deliver from the outbox outside any grain turn, so no call here waits on a merchant.
/// </summary>
[Alias("meiling.merchant-webhooks")]
public interface IMerchantWebhooksGrain : IGrainWithIntegerKey
{
    public const int MaxPageSize = 200;

    /// <summary>Sets the merchant's endpoint (all event types when <paramref name="events"/> is empty) and issues a new secret. 404 for an unknown merchant; a conflict (<c>merchant-closed</c>) for one past its closing date (P3.1, P4.3).</summary>
    [Alias("register")]
    Task<WebhookEndpointIssued> Register(string merchantId, string url, IReadOnlyList<string> events);

    /// <summary>
    /// A conflict (<c>merchant-closed</c>) when the merchant is past its closing date, 404 when there is no such merchant:
    /// asked before a change is written to the audit log, so a refused change leaves no entry (P1.7, P3.1).
    /// </summary>
    [Alias("ensure-changeable")]
    Task EnsureChangeable(string merchantId);

    /// <summary>The merchant's endpoint, or null when none is registered.</summary>
    [Alias("get")]
    Task<WebhookEndpoint?> Get(string merchantId);

    /// <summary>
    /// Removes the endpoint; events wait in the outbox until another is registered, at most as long as their retries would
    /// have lasted, then fail (<c>no-endpoint</c>). Whether there was one.
    /// </summary>
    [Alias("remove")]
    Task<bool> Remove(string merchantId);

    /// <summary>Issues a new secret at once (the old one signs nothing more); 404 when no endpoint is registered, a conflict (<c>merchant-closed</c>) past the merchant's closing date.</summary>
    [Alias("rotate-secret")]
    Task<string> RotateSecret(string merchantId);

    /// <summary>A page of the merchant's deliveries, newest first, optionally of one status.</summary>
    [Alias("deliveries")]
    Task<WebhookDeliveryPage> Deliveries(string merchantId, string? status, string? cursor, int limit);

    /// <summary>
    /// Makes a delivery due now, whatever its status; <paramref name="merchantId"/> null for an operator.
    /// False when there is no such delivery for this caller. A delivery already delivered goes again only to the URL that
    /// took it: with the endpoint re-pointed (or removed) since, a conflict (<c>delivered-elsewhere</c>), nothing sent (P3.1).
    /// </summary>
    [Alias("retry")]
    Task<bool> Retry(string deliveryId, string? merchantId);

    /// <summary>
    /// Whether a delivery to a merchant has this id, whatever its status: what an operator's retry is asked before it is
    /// written to the audit log, so a made-up id writes nothing (P1.7, P4.4).
    /// </summary>
    [Alias("delivery-exists")]
    [ReadOnly]
    Task<bool> DeliveryExists(string deliveryId);
}
