namespace MeiLing.Grains.Users;

/// <summary>
/// Which user holds a phone number, keyed by a keyed hash (HMAC) of the normalized number: the number
/// itself is in no grain key, reminder name or log line. Also counts failed sign-ins for the number.
/// </summary>
[Alias("meiling.phone-index")]
public interface IPhoneIndexGrain : IGrainWithStringKey
{
    /// <summary>Claims the number for the user; false when another registered user holds it.</summary>
    [Alias("claim")]
    Task<bool> Claim(string userId);

    /// <summary>The user holding the number, or null.</summary>
    [Alias("holder")]
    Task<string?> GetHolder();

    /// <summary>Frees the number (account cancelled), if this user holds it.</summary>
    [Alias("release")]
    Task Release(string userId);

    /// <summary>Whether sign-in for this number is locked after too many recent failures.</summary>
    [Alias("is-locked")]
    Task<bool> IsSignInLocked();

    /// <summary>Counts a failed sign-in.</summary>
    [Alias("record-failure")]
    Task RecordFailedSignIn();
}
