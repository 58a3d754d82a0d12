namespace MeiLing.Grains.Access;

/// <summary>A newly issued API key, returned exactly once to whoever created its holder.</summary>
[GenerateSerializer, Immutable, Alias("meiling.issued-key")]
public sealed record IssuedKey(
    [property: Id(0)] string SubjectId,
    [property: Id(1)] string ApiKey);
