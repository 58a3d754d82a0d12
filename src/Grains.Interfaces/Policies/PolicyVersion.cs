namespace MeiLing.Grains.Policies;

/// <summary>A published version of the privacy policy.</summary>
[GenerateSerializer, Immutable, Alias("meiling.policy-version")]
public sealed record PolicyVersion(
    [property: Id(0)] string Version,
    [property: Id(1)] string Summary,
    [property: Id(2)] bool ReducesRights,
    [property: Id(3)] DateTimeOffset PublishedAt);
