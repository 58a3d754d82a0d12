namespace MeiLing.Grains.Users;

/// <summary>
/// A user, keyed by user id (<c>usr_…</c>): one activation owns the user's profile, consents, sessions and the
/// closing state, so the consent gate decides against what it alone keeps. Its contract is only the sum of its
/// roles, in the way Chirper's account is its publisher and subscriber; a caller takes the narrowest role it
/// needs (<c>GetGrain&lt;IUserConsentGate&gt;(userId)</c>), all of them reach the same activation.
/// The user's notices are not among them: they live in the user's inbox (<see cref="IUserInboxGrain"/>).
/// </summary>
[Alias("meiling.user")]
public interface IUserGrain :
    IUserProfile,
    IUserCredentials,
    IUserConsentGate,
    IUserOrderPlacer,
    IUserCardOpener,
    IUserConsents,
    IUserLocations,
    IUserGuardian,
    IUserDataRights,
    IUserTickets,
    IUserNoticeOwner,
    IUserLegacyImport;
