namespace MeiLing.Grains.Consents;

/// <summary>A user granting or withdrawing one purpose, under a named policy version (P6.1).</summary>
[GenerateSerializer, Immutable, Alias("meiling.consent-change")]
public sealed record ConsentChange(
    [property: Id(0)] ConsentPurpose Purpose,
    [property: Id(1)] bool Granted,
    [property: Id(2)] string PolicyVersion,
    [property: Id(3)] string CollectionMethod);
