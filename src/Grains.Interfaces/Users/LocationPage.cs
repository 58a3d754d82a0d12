namespace MeiLing.Grains.Users;

/// <summary>
/// A page of a user's location samples, newest first; <see cref="NextBefore"/> is where the next page starts (the samples
/// taken before that instant), null on the last page.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.location-page")]
public sealed record LocationPage(
    [property: Id(0)] IReadOnlyList<LocationSample> Items,
    [property: Id(1)] DateTimeOffset? NextBefore);
