namespace MeiLing.Grains.Activity;

/// <summary>One request of a signed-in user, as the activity log keeps it (P1.3).</summary>
[GenerateSerializer, Immutable, Alias("meiling.activity-entry")]
public sealed record ActivityEntry(
    [property: Id(0)] string UserId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? IpAddress,
    [property: Id(3)] string? UserAgent,
    [property: Id(4)] string? Language,
    [property: Id(5)] string? OperatingSystem,
    [property: Id(6)] string Path,
    [property: Id(7)] string? SearchTerms);
