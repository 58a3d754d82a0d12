namespace MeiLing.Grains.Users;

/// <summary>
/// A user's bearer session, carried in the Orleans request context of a call to that user's own grain so
/// the grain checks the session in the same turn as the call, instead of the API asking first in a round
/// trip of its own. The grain refuses the call with <see cref="Ended"/> when the session was revoked.
/// </summary>
public static class SessionContext
{
    public const string EndedCode = "session-ended";

    private const string Key = "meiling-session";

    // The session's own id travels under a key of its own: a silo of the previous release reads the generation and
    // the user from Key as it always did, and ignores the id.
    private const string IdKey = "meiling-session-id";

    /// <summary>
    /// Carries the session on the calls made from here on in this async flow. <paramref name="sessionId"/> is the
    /// token's own id (<c>sid</c>), null for a token issued before sessions had one.
    /// </summary>
    public static void Carry(string userId, int generation, string? sessionId = null)
    {
        RequestContext.Set(Key, $"{generation}:{userId}");
        if (sessionId is null)
        {
            RequestContext.Remove(IdKey);
        }
        else
        {
            RequestContext.Set(IdKey, sessionId);
        }
    }

    /// <summary>Stops the session travelling further: into the calls, timers and reminders the call in hand starts.</summary>
    public static void Drop()
    {
        RequestContext.Remove(Key);
        RequestContext.Remove(IdKey);
    }

    /// <summary>The session carried by the call in hand, if any.</summary>
    public static (string UserId, int Generation, string? SessionId)? Current()
    {
        if (RequestContext.Get(Key) is not string value)
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !int.TryParse(value.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture, out var generation))
        {
            return null;
        }

        return (value[(colon + 1)..], generation, RequestContext.Get(IdKey) as string);
    }

    public static DomainException Ended() =>
        new(DomainErrorKind.Unauthorized, EndedCode, "The session has ended (signed out, or the account closed); sign in again.");
}
