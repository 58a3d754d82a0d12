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

    /// <summary>The most consent receipts one page of the history holds.</summary>
    const int MaxHistoryPage = 500;

    /// <summary>Every consent change, oldest first: for the export, which holds everything.</summary>
    [Alias("consent-history")]
    [ReadOnly]
    Task<IReadOnlyList<ConsentReceipt>> GetConsentHistory();

    /// <summary>
    /// Consent changes after the first <paramref name="skip"/>, oldest first or newest first: at most
    /// <paramref name="take"/> of them (at most <see cref="MaxHistoryPage"/>), plus one more when more follow.
    /// </summary>
    [Alias("consent-history-page")]
    [ReadOnly]
    Task<IReadOnlyList<ConsentReceipt>> GetConsentHistoryPage(int skip, int take, bool newestFirst);
}
