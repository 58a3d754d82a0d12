namespace MeiLing.Grains.Users;

/// <summary>
/// A successful sign-in: the user and the session generation their tokens must carry. Revoking the
/// user's sessions moves the generation on, so every token issued before stops working at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.signed-in")]
public sealed record SignedIn(
    [property: Id(0)] string UserId,
    [property: Id(1)] int SessionGeneration);
