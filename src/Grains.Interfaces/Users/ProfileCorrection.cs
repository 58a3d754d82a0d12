namespace MeiLing.Grains.Users;

/// <summary>A correction of profile fields; null leaves a field as it is.</summary>
[GenerateSerializer, Immutable, Alias("meiling.profile-correction")]
public sealed record ProfileCorrection(
    [property: Id(0)] string? Nickname,
    [property: Id(1)] string? AvatarUrl,
    [property: Id(2)] DateOnly? BirthDate);
