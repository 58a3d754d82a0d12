namespace MeiLing.Grains.MemberCards;

/// <summary>
/// The member-card settlements ledger (stateless; key 0): the balances left on cards when their user cancelled or
/// their merchant closed, which the merchant owes back. A settlement names the card by a pseudonym, never the user.
/// </summary>
[Alias("meiling.member-card-settlements")]
public interface IMemberCardSettlementsGrain : IGrainWithIntegerKey
{
    /// <summary>The most settlements one page holds.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The merchant's newest <paramref name="limit"/> settlements, newest first. Kept for API hosts of the release before <see cref="PageOfMerchant"/>.</summary>
    [Alias("of-merchant")]
    [ReadOnly]
    Task<IReadOnlyList<CardSettlement>> OfMerchant(string merchantId, int limit);

    /// <summary>
    /// A page of the merchant's settlements, newest first (by time, then id), after <paramref name="cursor"/> (a
    /// <see cref="CardSettlementPage.NextCursor"/>; null for the first page). A cursor not given out is refused.
    /// </summary>
    [Alias("page-of-merchant")]
    [ReadOnly]
    Task<CardSettlementPage> PageOfMerchant(string merchantId, string? cursor, int limit);

    /// <summary>What the user's cards were settled for in all (their erasure receipt's amount); 0 once their key is gone.</summary>
    [Alias("settled-for-user")]
    [ReadOnly]
    Task<long> SettledForUser(string userId);
}
