namespace MeiLing.Grains.Consents;

/// <summary>Where one purpose stands now; never asked purposes read as not granted.</summary>
[GenerateSerializer, Immutable, Alias("meiling.consent-status")]
public sealed record ConsentStatus(
    [property: Id(0)] ConsentPurpose Purpose,
    [property: Id(1)] bool Granted,
    [property: Id(2)] string? PolicyVersion,
    [property: Id(3)] DateTimeOffset? At);
