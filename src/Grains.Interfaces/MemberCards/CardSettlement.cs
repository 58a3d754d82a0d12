namespace MeiLing.Grains.MemberCards;

/// <summary>
/// A member-card balance settled at closure, for the merchant's accounts: how much, which card (a pseudonym, the
/// same <c>cardUserRef</c> as the <c>member_card.settled</c> webhook), why, when, and how it is paid back.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.card-settlement")]
public sealed record CardSettlement(
    [property: Id(0)] string SettlementId,
    [property: Id(1)] string CardUserRef,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] string Cause,
    [property: Id(4)] string PayBack,
    [property: Id(5)] DateTimeOffset SettledAt);
