namespace MeiLing.Grains.MemberCards;

/// <summary>Why a member card is settled: the settlement's cause in the merchant's accounts.</summary>
[GenerateSerializer]
[Alias("meiling.card-settlement-cause")]
public enum CardSettlementCause
{
    /// <summary>The user cancelled their account (P4.1).</summary>
    AccountCancelled = 0,

    /// <summary>The merchant closed, or the user objected to its business moving to a successor (P4.3, P3.2).</summary>
    MerchantClosed = 1,
}
