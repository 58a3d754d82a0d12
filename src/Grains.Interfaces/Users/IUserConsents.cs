using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>A user's consent decisions (P1.1): each change is a durable receipt, a withdrawal takes effect at once. A role of the user grain (<see cref="IUserGrain"/>), keyed by user id.</summary>
[Alias("meiling.user.consents")]
public interface IUserConsents : IGrainWithStringKey
{
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
}
