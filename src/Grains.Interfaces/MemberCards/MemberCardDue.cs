namespace MeiLing.Grains.MemberCards;

/// <summary>
/// What settling a member card would owe its user now: the balance, and <see cref="Life"/>, the id of this life of the
/// card (from its first money to its settlement), which names the settlement and its event apart from an earlier
/// life's at the same merchant; null for a card opened before lives were kept. <see cref="Exists"/> is false once the
/// card is erased (a retried erasure finds it so): there is nothing left to settle or tell.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.member-card-due")]
public sealed record MemberCardDue(
    [property: Id(0)] long BalanceFen,
    [property: Id(1)] string? Life,
    [property: Id(2)] bool Exists);
