namespace MeiLing.Grains.Users;

/// <summary>
/// A number's answer to a sign-in about to check a password: admitted under an attempt number, with the user
/// holding the number (if any), counted as a failure until the attempt is forgiven by its success; or refused
/// while too many recent failures lock the number.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.sign-in-admission")]
public sealed record SignInAdmission(
    [property: Id(0)] long Attempt,
    [property: Id(1)] string? Holder,
    [property: Id(2)] TimeSpan? LockedFor)
{
    public static SignInAdmission Admitted(long attempt, string? holder) => new(attempt, holder, null);

    public static SignInAdmission Locked(TimeSpan lockedFor) => new(0, null, lockedFor);
}
