namespace MeiLing.Grains.Webhooks;

/// <summary>A merchant's webhook endpoint and the event types it receives; never the secret.</summary>
[GenerateSerializer, Immutable, Alias("meiling.webhook-endpoint")]
public sealed record WebhookEndpoint(
    [property: Id(0)] string Url,
    [property: Id(1)] IReadOnlyList<string> Events);

/// <summary>An endpoint with its signing secret (<c>whsec_</c> + base64): only in the answer that issues the secret.</summary>
[GenerateSerializer, Immutable, Alias("meiling.webhook-endpoint-issued")]
public sealed record WebhookEndpointIssued(
    [property: Id(0)] string Url,
    [property: Id(1)] IReadOnlyList<string> Events,
    [property: Id(2)] string Secret);
