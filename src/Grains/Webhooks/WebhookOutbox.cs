using System.Text.Json;
using System.Text.Json.Nodes;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Platform;
using Npgsql;

namespace MeiLing.Grains.Webhooks;

/// <summary>
/// Writes events into the outbox for the step that causes them. An event goes to a merchant unless the
/// merchant's endpoint leaves its type out (never a notice of a user's rights, <see cref="WebhookEvents.Required"/>,
/// whatever an endpoint stored before that rule says); a merchant with no endpoint yet gets it once it registers one.
/// </summary>
public sealed class WebhookOutbox(WebhookOutboxStore store, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The id an event gets from what causes it: the same cause, the same id (the webhook-id merchants de-duplicate by).</summary>
    public static string EventIdFor(string type, string recipient, string cause) =>
        EntityId.FromIdempotencyKey(EntityId.EventPrefix, $"{type}\n{recipient}", cause);

    /// <summary>An event for one recipient, its body <c>{type, timestamp, data}</c>.</summary>
    public OutboxEvent Event(string type, string recipient, RecipientKind kind, string cause, object data, string? requestId = null) =>
        new(EventIdFor(type, recipient, cause), recipient, kind, type, Body(type, data, kind), requestId);

    /// <summary>The merchant closes: nothing more is sent to it but its own closing's notice, and what it never confirmed is closed (P3.1, P4.3).</summary>
    public Task CloseMerchantAsync(string merchantId) => store.CloseMerchantAsync(merchantId, clock.GetUtcNow());

    /// <summary>Only the events each merchant takes (its endpoint's types), then all of them with the recipients, in one transaction.</summary>
    public async Task<IReadOnlyList<OutboxEvent>> WriteAsync(IReadOnlyList<OutboxEvent> events, IReadOnlyList<RecipientListing>? recipients = null) =>
        await WriteWithAsync(events, recipients ?? []);

    /// <summary>As <see cref="WriteAsync"/>, in one transaction with <paramref name="cause"/>: the change that causes the events.</summary>
    public async Task<IReadOnlyList<OutboxEvent>> WriteWithAsync(IReadOnlyList<OutboxEvent> events, IReadOnlyList<RecipientListing> recipients, params NpgsqlBatchCommand[] cause)
    {
        var merchants = events.Where(item => item.RecipientKind == RecipientKind.Merchant).Select(item => item.Recipient).Distinct().ToArray();
        var typesTaken = merchants.Length == 0 ? new Dictionary<string, IReadOnlyList<string>>() : await store.EventTypesOfAsync(merchants);
        var taken = events
            .Where(item => item.RecipientKind != RecipientKind.Merchant || WebhookEvents.Required.Contains(item.Type)
                || !typesTaken.TryGetValue(item.Recipient, out var types) || types.Contains(item.Type))
            .ToList();

        var takenIds = taken.Select(item => item.EventId).ToHashSet();
        var listed = recipients.Select(recipient => recipient.EventId is { } id && !takenIds.Contains(id) ? recipient with { EventId = null, EventType = null } : recipient).ToList();
        await store.EnqueueAsync(taken, listed, clock.GetUtcNow(), cause);
        return taken;
    }

    private string Body(string type, object data, RecipientKind kind)
    {
        var node = JsonSerializer.SerializeToNode(data, Json);
        if (kind is RecipientKind.PaymentPartner or RecipientKind.DeliveryPartner && node is JsonObject fields)
        {
            // P3.1: a payment partner received an order's id, merchant and amount, a delivery partner the delivery: never
            // the platform's user id, which would link one person's orders at every merchant. Their notices name the
            // orders and the cause, as what they received does, and no new identifier.
            fields.Remove("userId");
        }

        var body = new JsonObject
        {
            ["type"] = type,
            ["timestamp"] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = node,
        };
        return body.ToJsonString();
    }
}
