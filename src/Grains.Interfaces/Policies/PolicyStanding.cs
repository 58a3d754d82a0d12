namespace MeiLing.Grains.Policies;

/// <summary>
/// Where a version stands in the published sequence (P6.1): its position (null when never published),
/// the position of the newest version that reduced rights (-1 when none did), and the current version.
/// A user whose accepted version sits before <see cref="RightsBaselineIndex"/> must accept again.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.policy-standing")]
public sealed record PolicyStanding(
    [property: Id(0)] int? VersionIndex,
    [property: Id(1)] int RightsBaselineIndex,
    [property: Id(2)] string? CurrentVersion,
    [property: Id(3)] int CurrentIndex)
{
    public bool Satisfies => RightsBaselineIndex < 0 || (VersionIndex is { } index && index >= RightsBaselineIndex);
}
