using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>
/// A user, keyed by user id (<c>usr_…</c>): the single owner of the user's profile, consents and
/// sessions. Every flow that touches the user's personal data asks this grain, in the same call,
/// whether it may (<see cref="AuthorizeProcessing"/>).
/// </summary>
[Alias("meiling.user")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user; called by <see cref="IUserAccountsGrain"/> once the phone is claimed.</summary>
    [Alias("create")]
    Task<UserProfile> Create(NewUser user);

    /// <summary>The profile, or null when there is no such user (or the account is cancelled).</summary>
    [Alias("profile")]
    [ReadOnly]
    Task<UserProfile?> GetProfile();

    /// <summary>Corrects profile fields (a data right); needs the current policy accepted (P6.1).</summary>
    [Alias("correct-profile")]
    Task<UserProfile> CorrectProfile(ProfileCorrection correction);

    /// <summary>Verifies the password; the session generation on success, null otherwise.</summary>
    [Alias("verify-password")]
    Task<int?> VerifyPassword(string password);

    /// <summary>Whether a token of this session generation is still good.</summary>
    [Alias("is-session-current")]
    [ReadOnly]
    Task<bool> IsSessionCurrent(int generation);

    /// <summary>Ends every session of the user at once.</summary>
    [Alias("revoke-sessions")]
    Task RevokeSessions();

    /// <summary>Records a consent change and returns its receipt; a withdrawal takes effect in this call.</summary>
    [Alias("set-consent")]
    Task<ConsentReceipt> SetConsent(ConsentChange change);

    /// <summary>The current state of every purpose.</summary>
    [Alias("consents")]
    [ReadOnly]
    Task<IReadOnlyList<ConsentStatus>> GetConsents();

    /// <summary>Every consent change, oldest first.</summary>
    [Alias("consent-history")]
    [ReadOnly]
    Task<IReadOnlyList<ConsentReceipt>> GetConsentHistory();

    /// <summary>
    /// The one gate: may this processing of the user's data happen now? Returns its lawful basis
    /// (P1.10); 403 <c>consent-required</c> or <c>policy-consent-required</c> otherwise.
    /// </summary>
    [Alias("authorize-processing")]
    Task<ProcessingBasis> AuthorizeProcessing(ProcessingRequest request);

    /// <summary>Stores a location sample; only while <c>location</c> is granted (P1.2).</summary>
    [Alias("record-location")]
    Task RecordLocation(LocationSample sample);

    /// <summary>The location samples held, newest first.</summary>
    [Alias("locations")]
    [ReadOnly]
    Task<IReadOnlyList<LocationSample>> GetLocations();
}
