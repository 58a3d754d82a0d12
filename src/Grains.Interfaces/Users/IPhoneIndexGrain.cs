namespace MeiLing.Grains.Users;

/// <summary>
/// Which user holds a phone number, keyed by a keyed hash (HMAC) of the normalized number: the number
/// itself is in no grain key, reminder name or log line. Also counts failed sign-ins for the number.
/// </summary>
[Alias("meiling.phone-index")]
public interface IPhoneIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the number for the user; false when another user holds it: a registered one, or one whose
    /// claim is recent enough that its registration may still be under way.
    /// </summary>
    [Alias("claim")]
    Task<bool> Claim(string userId);

    /// <summary>The user holding the number, or null.</summary>
    [Alias("holder")]
    Task<string?> GetHolder();

    /// <summary>Frees the number (account cancelled), if this user holds it.</summary>
    [Alias("release")]
    Task Release(string userId);

    /// <summary>
    /// Admits a sign-in to check its password, counting it as failed until <see cref="ForgiveSignIn"/>; or refuses
    /// it while too many recent failures lock the number. One call, so concurrent guesses cannot pass the limit.
    /// </summary>
    [Alias("admit-sign-in")]
    Task<SignInAdmission> AdmitSignIn();

    /// <summary>Uncounts an admitted sign-in whose password was right.</summary>
    [Alias("forgive-sign-in")]
    Task ForgiveSignIn(long attempt);

    /// <summary>How long sign-in for this number stays locked; null when it is not. Previous release's check.</summary>
    [Alias("sign-in-locked-for")]
    Task<TimeSpan?> SignInLockedFor();

    /// <summary>Counts a failed sign-in. Previous release's count, made after the password was checked.</summary>
    [Alias("record-failure")]
    Task RecordFailedSignIn();

    /// <summary>Forgets the failed sign-ins: the number's owner has proved it with a code (password reset).</summary>
    [Alias("clear-failures")]
    Task ClearFailedSignIns();
}
