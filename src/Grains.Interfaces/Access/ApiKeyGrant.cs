namespace MeiLing.Grains.Access;

/// <summary>What an API key stands for: a role and the id of its holder (a merchant or a staff member).</summary>
[GenerateSerializer, Immutable, Alias("meiling.api-key-grant")]
public sealed record ApiKeyGrant(
    [property: Id(0)] CallerRole Role,
    [property: Id(1)] string SubjectId,
    [property: Id(2)] DateTimeOffset IssuedAt);
