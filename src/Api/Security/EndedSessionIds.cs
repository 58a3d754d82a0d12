namespace MeiLing.Api.Security;

/// <summary>
/// Ids of sessions this host has just found ended (signed out, or every session ended), so that their tokens' further
/// requests count against the sending address's bucket, not the user's (P4.4): whoever holds a signed-out token
/// (a thief, a shared computer) could otherwise spend the user's own rate limit and have the live session refused.
/// A session not remembered here only costs its first request.
/// </summary>
public sealed class EndedSessionIds() : RememberedBriefly(Capacity, Lifetime)
{
    /// <summary>Remembers the session of the request, found ended; nothing for a token without a session id.</summary>
    public static void RememberSessionOf(HttpContext context)
    {
        if (context.User.FindFirst(UserSessions.SessionIdClaim)?.Value is { } session)
        {
            context.RequestServices.GetRequiredService<EndedSessionIds>().Remember(session);
        }
    }

    /// <summary>How many ended sessions are remembered at most; beyond it, new ones are simply not remembered.</summary>
    public const int Capacity = 10_000;

    /// <summary>How long an ended session is remembered: a token lives 12 hours at most, but the flood matters now.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
}
