namespace MeiLing.Grains.MemberCards;

/// <summary>
/// Money put on a member card at the merchant's till, applied once per <see cref="OperationId"/> (an Idempotency-Key).
/// <see cref="StaffId"/> names the merchant's staff member whose key made it, null for the merchant's own key: the
/// day's report names who made each top-up, so a free one can be traced to a cashier (P1.6).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.member-card-top-up")]
public sealed record MemberCardTopUp(
    [property: Id(0)] string OperationId,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] string? StaffId);
