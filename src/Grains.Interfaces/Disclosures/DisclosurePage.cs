namespace MeiLing.Grains.Disclosures;

/// <summary>
/// A page of a user's hand-overs, newest first; <see cref="NextBefore"/> is where the next page starts (the hand-overs
/// before that instant), null on the last page.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.disclosure-page")]
public sealed record DisclosurePage(
    [property: Id(0)] IReadOnlyList<DisclosureRecord> Items,
    [property: Id(1)] DateTimeOffset? NextBefore);
