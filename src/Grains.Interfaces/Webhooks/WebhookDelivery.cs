namespace MeiLing.Grains.Webhooks;

/// <summary>
/// Where one event stands on its way to a merchant: <c>pending</c>, <c>delivered</c> or <c>failed</c> (retries used up, or
/// <see cref="FailureReason"/> <c>no-endpoint</c>: the merchant had no endpoint all the while it could wait for one).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.webhook-delivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string EventId,
    [property: Id(2)] string Type,
    [property: Id(3)] string Status,
    [property: Id(4)] int Attempts,
    [property: Id(5)] int? LastStatusCode,
    [property: Id(6)] DateTimeOffset? LastAttemptAt,
    [property: Id(7)] DateTimeOffset? NextAttemptAt,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] string? FailureReason = null);

/// <summary>A page of deliveries, newest first, with the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("meiling.webhook-delivery-page")]
public sealed record WebhookDeliveryPage(
    [property: Id(0)] IReadOnlyList<WebhookDelivery> Items,
    [property: Id(1)] string? NextCursor);
