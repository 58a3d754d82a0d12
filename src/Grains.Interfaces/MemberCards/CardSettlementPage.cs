namespace MeiLing.Grains.MemberCards;

/// <summary>A page of a merchant's settlements, newest first, with the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("meiling.card-settlement-page")]
public sealed record CardSettlementPage(
    [property: Id(0)] IReadOnlyList<CardSettlement> Items,
    [property: Id(1)] string? NextCursor);
