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

    /// <summary>Carries the session on the calls made from here on in this async flow.</summary>
    public static void Carry(string userId, int generation) => RequestContext.Set(Key, $"{generation}:{userId}");

    /// <summary>Stops the session travelling further: into the calls, timers and reminders the call in hand starts.</summary>
    public static void Drop() => RequestContext.Remove(Key);

    /// <summary>The session carried by the call in hand, if any.</summary>
    public static (string UserId, int Generation)? Current()
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

        return (value[(colon + 1)..], generation);
    }

    public static DomainException Ended() =>
        new(DomainErrorKind.Unauthorized, EndedCode, "The session has ended (signed out, or the account closed); sign in again.");
}
