using MeiLing.Grains.DataRights;

namespace MeiLing.Api.Consoles;

/// <summary>
/// What a page says of a correction that changes where the user's orders are delivered (<c>changesDelivery</c>, P1.5):
/// to support, that it waits for the user's own confirmation after a fresh sign-in; to the user, the same, and whether
/// their sign-in is recent enough to give it now (P4.4). Never the corrected delivery itself: only the user's own view of a
/// request awaiting them holds it (<see cref="DataRightsRequestView.Proposed"/>, shown by <c>_ProposedChanges</c>).
/// </summary>
/// <param name="Request">The request shown; a request that changes no delivery shows nothing.</param>
/// <param name="RecentSignInMinutes">How recent the user's sign-in must be (<c>MEILING_RECENT_SIGN_IN_MINUTES</c>).</param>
/// <param name="ToTheUser">The privacy center's words ("your orders") rather than the console's ("the user's orders").</param>
/// <param name="SignedInRecently">The user's own session began within the window (the privacy center only).</param>
public sealed record DeliveryChange(DataRightsRequestView Request, int RecentSignInMinutes, bool ToTheUser, bool SignedInRecently = false)
{
    /// <summary>Filed by support and not yet confirmed: the user's word, after a fresh sign-in, is what it waits for.</summary>
    public bool AwaitsTheUser => Request.Status == DataRightsRequestStatus.AwaitingConfirmation;

    /// <summary>Filed by support: it needed, or needs, the user's confirmation; one the user filed needed a fresh sign-in to file.</summary>
    public bool FiledBySupport => Request.FiledBy == "support";
}
