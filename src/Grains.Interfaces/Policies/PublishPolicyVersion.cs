namespace MeiLing.Grains.Policies;

/// <summary>Publishing a policy version; <paramref name="ReducesRights"/> makes it need fresh consent (P6.1).</summary>
[GenerateSerializer, Immutable, Alias("meiling.publish-policy-version")]
public sealed record PublishPolicyVersion(
    [property: Id(0)] string Version,
    [property: Id(1)] string Summary,
    [property: Id(2)] bool ReducesRights);
