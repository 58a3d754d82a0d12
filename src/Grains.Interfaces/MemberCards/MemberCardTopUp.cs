namespace MeiLing.Grains.MemberCards;

/// <summary>
/// Money put on a member card at the merchant's till, applied once per <see cref="OperationId"/> (an Idempotency-Key).
/// <see cref="StaffId"/> names the merchant's staff member whose key made it, null for the merchant's own key: the
/// day's report names who made each top-up, so a free one can be traced to a cashier (P1.6).
/// <see cref="PreviousOperationId"/> is the id the previous release gave the same Idempotency-Key (the key alone, shared by
/// all the merchant's keys): a top-up made under it just before a deploy, retried after, is found and not applied twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.member-card-top-up")]
public sealed record MemberCardTopUp(
    [property: Id(0)] string OperationId,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] string? StaffId,
    [property: Id(3)] string? PreviousOperationId = null);
