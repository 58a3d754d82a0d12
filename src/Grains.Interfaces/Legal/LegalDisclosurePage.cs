namespace MeiLing.Grains.Legal;

/// <summary>A page of withheld legal disclosures, oldest first, with the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("meiling.legal-disclosure-page")]
public sealed record LegalDisclosurePage(
    [property: Id(0)] IReadOnlyList<LegalDisclosure> Items,
    [property: Id(1)] string? NextCursor);
