namespace MeiLing.Grains.MemberCards;

/// <summary>
/// The member-card settlements ledger (stateless; key 0): the balances left on cards when their user cancelled or
/// their merchant closed, which the merchant owes back. A settlement names the card by a pseudonym, never the user.
/// </summary>
[Alias("meiling.member-card-settlements")]
public interface IMemberCardSettlementsGrain : IGrainWithIntegerKey
{
    /// <summary>The merchant's settlements, newest first.</summary>
    [Alias("of-merchant")]
    [ReadOnly]
    Task<IReadOnlyList<CardSettlement>> OfMerchant(string merchantId, int limit);

    /// <summary>What the user's cards were settled for in all (their erasure receipt's amount); 0 once their key is gone.</summary>
    [Alias("settled-for-user")]
    [ReadOnly]
    Task<long> SettledForUser(string userId);
}
