namespace MeiLing.Grains.Users;

/// <summary>
/// Checks a carried user session (<see cref="SessionContext"/>) inside the user grain's own turn, before the
/// method runs: a revoked session never reads or changes anything, and a current one costs no extra call.
/// </summary>
public sealed class SessionCallFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GrainInstance is UserGrain user && SessionContext.Current() is { } session)
        {
            user.EnsureSessionCurrent(session.UserId, session.Generation);
        }

        return context.Invoke();
    }
}
