using MeiLing.Grains;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Security;

/// <summary>
/// Makes sure no grain is called for a request whose user session has ended. A call to the user's own
/// grain carries the session and is checked by that grain in the same turn; a first call to any other
/// grain waits until the user's grain has confirmed the session.
/// </summary>
public sealed class SessionCheckingCallFilter(IServiceProvider services) : IOutgoingGrainCallFilter
{
    // Resolved on the first call (the factory is built with this filter); the user grains' type never changes.
    private readonly Lazy<(IGrainFactory Grains, GrainType UserGrainType)> _resolved = new(() =>
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        return (grains, grains.GetGrain<IUserCredentials>("any").GetGrainId().Type);
    });

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        // In a silo (the co-hosted API) this filter sees grains' own calls as well: only the request's
        // calls, made outside any grain, carry its session.
        if (context.SourceContext is not null || UserSessionCheck.Current is not { Verified: false } session)
        {
            await context.Invoke();
            return;
        }

        var (grains, userGrainType) = _resolved.Value;
        if (context.TargetId.Type.Equals(userGrainType) && context.TargetId.Key.Equals(IdSpan.Create(session.UserId)))
        {
            // Set here, the session travels with this call only: the request context is async-local.
            SessionContext.Carry(session.UserId, session.Generation, session.SessionId);
            try
            {
                await context.Invoke();
            }
            catch (DomainException refusal) when (refusal.Code != SessionContext.EndedCode)
            {
                // The grain refused the call itself, so the session had passed its check.
                session.MarkVerified();
                throw;
            }

            session.MarkVerified();
            return;
        }

        await session.VerifyAsync(grains);
        await context.Invoke();
    }
}
