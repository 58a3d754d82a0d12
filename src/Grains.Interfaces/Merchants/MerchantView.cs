namespace MeiLing.Grains.Merchants;

/// <summary>
/// A merchant as callers see it. <see cref="TransferAwayId"/> names the open transfer of its business to a successor
/// (P3.2): an operator starts one, and the merchant reads it on its own record from that moment. <see cref="NoticesGivenUp"/>
/// counts the customers a closing could not tell by its date (their accounts failing every minute until then), erased
/// untold (P4.3): for the operator to look into.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.merchant-view")]
public sealed record MerchantView(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Region,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] MerchantStatus Status,
    [property: Id(5)] DateTimeOffset? TerminationEffectiveAt,
    [property: Id(6)] string TimeZone = MerchantTimeZones.Default,
    [property: Id(7)] MerchantErasureStall? ErasureStalled = null,
    [property: Id(8)] string? TransferAwayId = null,
    [property: Id(9)] int? NoticesGivenUp = null);

/// <summary>
/// A closing merchant's erasure that stopped making progress (P4.3, P4.4): walks in a row that anonymized nothing while
/// orders or cards still named a user (an index row whose order has no stored state, an order that refuses). The
/// merchant stays closing, its data kept rather than silently left, and tries again at <see cref="NextAttemptAt"/>;
/// <see cref="OrderIds"/> (at most <see cref="MaxListed"/>) and <see cref="MemberCardsLeft"/> are for an operator to
/// look into. Ids only, no personal data.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.merchant-erasure-stall")]
public sealed record MerchantErasureStall(
    [property: Id(0)] IReadOnlyList<string> OrderIds,
    [property: Id(1)] int MemberCardsLeft,
    [property: Id(2)] int WalksWithoutProgress,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] DateTimeOffset NextAttemptAt)
{
    /// <summary>How many of the orders left are named: enough to look into, never a whole merchant's orders.</summary>
    public const int MaxListed = 50;
}

/// <summary>Whether a merchant trades, is serving its notice (P4.3), or has closed.</summary>
[GenerateSerializer, Alias("meiling.merchant-status")]
public enum MerchantStatus
{
    Active = 0,
    Terminating = 1,
    Terminated = 2,
}
