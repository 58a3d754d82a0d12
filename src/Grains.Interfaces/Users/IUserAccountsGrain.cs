namespace MeiLing.Grains.Users;

/// <summary>
/// The front door for accounts: registration and sign-in by phone number. A stateless worker, so it
/// scales with the silos; it never stores a phone number, only addresses the phone index by a keyed hash.
/// </summary>
[Alias("meiling.user-accounts")]
public interface IUserAccountsGrain : IGrainWithIntegerKey
{
    /// <summary>Registers <paramref name="userId"/>; 409 <c>phone-taken</c>, 403 <c>guardian-consent-required</c>.</summary>
    [Alias("register")]
    Task<UserProfile> Register(string userId, RegisterUser command);

    /// <summary>Checks the password; 401 <c>invalid-credentials</c>, 429 <c>too-many-failed-logins</c>.</summary>
    [Alias("sign-in")]
    Task<SignedIn> SignIn(string phone, string password);
}
