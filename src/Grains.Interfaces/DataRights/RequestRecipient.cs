using MeiLing.Grains.Disclosures;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// A party the disclosure ledger shows received data a request covers, told of the request: <c>pending</c>
/// until told, <c>notified</c> once its webhook or adapter took the notice, <c>confirmed</c> once it said it acted.
/// <see cref="EventType"/> is what it was told (<c>customer.redact</c>, …); null when its endpoint takes no event of the kind.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.request-recipient")]
public sealed record RequestRecipient(
    [property: Id(0)] string Recipient,
    [property: Id(1)] RecipientKind RecipientKind,
    [property: Id(2)] DateTimeOffset? NotifiedAt,
    [property: Id(3)] DateTimeOffset? ConfirmedAt,
    [property: Id(4)] string Status,
    [property: Id(5)] string? EventType = null);
