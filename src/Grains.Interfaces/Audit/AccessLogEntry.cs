namespace MeiLing.Grains.Audit;

/// <summary>
/// One audit entry about a user as the user reads it (P1.7, P1.3): when, who in what role, what, and the user's own
/// request, ticket, order or consent receipt it was for where the entry names one known to be theirs. Never a member of staff's id,
/// name or key (<see cref="Actor"/> is a pseudonym), never the entry's raw detail, which may name ids a caller typed.
/// </summary>
/// <param name="At">When the entry was written.</param>
/// <param name="ActorRole">
/// <c>support</c>, <c>operator</c>, <c>user</c> (the user themself), <c>guardian</c>, <c>merchant</c>, or <c>system</c>
/// (the platform's own processes: identity checks, data-rights steps).
/// </param>
/// <param name="Actor">
/// For support and operators, a pseudonym of the member of staff: the same for the same person throughout this user's
/// log, unrelated to the one they have in any other user's; null for everyone else, or once the user's key is gone.
/// </param>
/// <param name="Action">
/// A stable machine name: a support call's method and route (<c>GET /v1/users/{userId}/orders</c>), or an event
/// (<c>password:changed</c>, <c>access:received</c>, <c>legal-disclosure</c>, …).
/// </param>
/// <param name="RequestId">The user's data-rights request the entry is about, or the request support read.</param>
/// <param name="TicketId">The user's ticket support read or answered.</param>
/// <param name="OrderId">The user's order support read.</param>
/// <param name="ReceiptId">The user's consent receipt support read, or whose withdrawal notice support sent again.</param>
[GenerateSerializer, Immutable, Alias("meiling.access-log-entry")]
public sealed record AccessLogEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string ActorRole,
    [property: Id(2)] string? Actor,
    [property: Id(3)] string Action,
    [property: Id(4)] string? RequestId,
    [property: Id(5)] string? TicketId,
    [property: Id(6)] string? OrderId,
    [property: Id(7)] string? ReceiptId = null);

/// <summary>
/// A page of a user's access log, newest first, and the audit sequence its last entry had when more follow (the
/// <c>before</c> of the next page; never shown to the user as it is, since it counts the whole platform's entries).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.access-log-page")]
public sealed record AccessLogPage(
    [property: Id(0)] IReadOnlyList<AccessLogEntry> Entries,
    [property: Id(1)] long? NextBefore);
