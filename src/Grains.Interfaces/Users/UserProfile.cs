namespace MeiLing.Grains.Users;

/// <summary>A user's profile as the user (and support) see it; never a password or its hash.</summary>
[GenerateSerializer, Immutable, Alias("meiling.user-profile")]
public sealed record UserProfile(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Phone,
    [property: Id(2)] string Nickname,
    [property: Id(3)] string? AvatarUrl,
    [property: Id(4)] DateOnly? BirthDate,
    [property: Id(5)] string Region,
    [property: Id(6)] bool IsMinor,
    [property: Id(7)] DateTimeOffset RegisteredAt,
    [property: Id(8)] string? AcceptedPolicyVersion,
    [property: Id(9)] string Status = UserProfile.Active)
{
    public const string Active = "active";

    /// <summary>A child under 14 whose guardian has not yet confirmed with a code: nothing is processed (P5.1).</summary>
    public const string PendingGuardian = "pending-guardian";
}
