using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>A user's profile and saved addresses: what the user is on the platform. A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.profile")]
public interface IUserProfile : IGrainWithStringKey
{
    /// <summary>Creates the user; called by <see cref="IUserAccountsGrain"/> once the phone is claimed.</summary>
    [Alias("create")]
    Task<UserProfile> Create(NewUser user);

    /// <summary>The profile, or null when there is no such user (or the account is cancelled).</summary>
    [Alias("profile")]
    [ReadOnly]
    Task<UserProfile?> GetProfile();

    /// <summary>Corrects profile fields (a data right, open even before a new policy is accepted).</summary>
    [Alias("correct-profile")]
    Task<UserProfile> CorrectProfile(ProfileCorrection correction);

    /// <summary>
    /// The user's own correction of their profile fields (<c>PATCH /v1/users/{userId}</c>), as <see cref="CorrectProfile"/>,
    /// counted against the user's day of such changes (P4.4: each rewrites the user's sealed state): past it 429
    /// <c>quota-exceeded</c>, nothing changed. One that changes nothing is answered without a write, and counts nothing.
    /// </summary>
    [Alias("correct-own-profile")]
    Task<UserProfile> CorrectOwnProfile(ProfileCorrection correction);

    /// <summary>Stores addresses from a third party with their provenance; needs <c>third-party-sources</c> (P1.8).</summary>
    [Alias("import-addresses")]
    Task<IReadOnlyList<SavedAddress>> ImportAddresses(ImportAddresses import);

    [Alias("addresses")]
    [ReadOnly]
    Task<IReadOnlyList<SavedAddress>> GetAddresses();
}
