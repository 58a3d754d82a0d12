using MeiLing.Api.Security;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Apis;

/// <summary>
/// Where a user's consents stand, for <c>GET /v1/users/{userId}/consents</c>. An API co-hosted with the silo where the
/// user's grain is activated reads the view that grain published (<see cref="IActivatedUserViews"/>), checking the
/// caller's session against it as the grain would: no grain call, so none of its trips through the thread pool
/// (docs/performance.md). Anywhere else, the user's grain answers.
/// </summary>
public sealed class ConsentReads(IGrainFactory grains, IActivatedUserViews? views = null)
{
    public async ValueTask<IReadOnlyList<ConsentStatus>> ReadAsync(string userId)
    {
        if (views?.Find(userId) is { } view && SessionAllows(view, userId))
        {
            return view.Consents;
        }

        return await grains.GetResolvedGrain<IUserConsents>(userId).GetConsents();
    }

    /// <summary>
    /// True when the request carries no session left to check, or carries this user's and it is current; an ended one is
    /// refused as the grain refuses it (401, P4.4). Another user's session is left to the grain's own check.
    /// </summary>
    private static bool SessionAllows(ActivatedUserView view, string userId)
    {
        if (UserSessionCheck.Current is not { Verified: false } session)
        {
            return true;
        }

        if (session.UserId != userId)
        {
            return false;
        }

        if (!view.IsSessionCurrent(session.Generation, session.SessionId))
        {
            throw SessionContext.Ended();
        }

        session.MarkVerified();
        return true;
    }
}
