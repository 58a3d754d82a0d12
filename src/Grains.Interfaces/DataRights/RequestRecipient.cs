using MeiLing.Grains.Disclosures;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// A party the disclosure ledger shows received data a request covers, told of the request: <c>pending</c>
/// until a first attempt, <c>retrying</c> while attempts failed and more are due, <c>failed</c> once the retries ran
/// out unanswered, <c>notified</c> once its webhook or adapter took the notice, <c>confirmed</c> once it said it acted.
/// <see cref="Attempts"/>, <see cref="LastAttemptAt"/> and <see cref="NextAttemptAt"/> show the user and support how
/// the notice is going, whatever the recipient does.
/// <see cref="EventType"/> is what it was told (<c>customer.redact</c>, …); null when its endpoint takes no event of the kind,
/// and the recipient is then <c>not-told</c>: nothing is sent to it, so nothing is awaited from it (an access request's
/// <c>customer.data_request</c>, which a merchant's endpoint may leave out).
/// A merchant that closed before it confirmed, or before the request reached it, is <c>closed</c>: its closing erased what
/// the platform held of its customers, its key can confirm nothing any more, and nothing (more) is sent to it or asked of it.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.request-recipient")]
public sealed record RequestRecipient(
    [property: Id(0)] string Recipient,
    [property: Id(1)] RecipientKind RecipientKind,
    [property: Id(2)] DateTimeOffset? NotifiedAt,
    [property: Id(3)] DateTimeOffset? ConfirmedAt,
    [property: Id(4)] string Status,
    [property: Id(5)] string? EventType,
    [property: Id(6)] int Attempts,
    [property: Id(7)] DateTimeOffset? LastAttemptAt,
    [property: Id(8)] DateTimeOffset? NextAttemptAt)
{
    public const string Pending = "pending";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
    public const string Notified = "notified";
    public const string Confirmed = "confirmed";
    public const string NotTold = "not-told";
    public const string Closed = "closed";
}
