namespace MeiLing.Grains.Users;

/// <summary>
/// Checks a carried user session (<see cref="SessionContext"/>) inside the user grain's own turn, before the
/// method runs: a revoked session never reads or changes anything, and a current one costs no extra call.
/// </summary>
public sealed class SessionCallFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (SessionContext.Current() is { } session)
        {
            if (context.TargetContext.GrainInstance is UserGrain user)
            {
                user.EnsureSessionCurrent(session.UserId, session.Generation, session.SessionId);
            }

            // Checked once, here: work this call sets going (a data-rights request's steps, say) acts for the
            // platform, and must not fail later because the session it began under was ended on purpose.
            SessionContext.Drop();
        }

        return context.Invoke();
    }
}
