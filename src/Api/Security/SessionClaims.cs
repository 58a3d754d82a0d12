using System.Globalization;
using System.Security.Claims;

namespace MeiLing.Api.Security;

/// <summary>The session a user's token names: the user, the session generation and the session's own id.</summary>
public sealed record SessionClaims(string UserId, int Generation, string? SessionId)
{
    /// <summary>The session <paramref name="caller"/>'s token names; null when it names no user or generation.</summary>
    public static SessionClaims? Read(ClaimsPrincipal caller) =>
        caller.FindFirstValue(CallerClaims.Subject) is { } userId
        && int.TryParse(caller.FindFirstValue(UserSessions.GenerationClaim), NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation)
            // A token issued before sessions had ids carries no sid: only signing out everywhere ends it.
            ? new SessionClaims(userId, generation, caller.FindFirstValue(UserSessions.SessionIdClaim))
            : null;

    /// <summary>This request's check of the session, which the user's grain answers (<see cref="UserSessionCheck"/>).</summary>
    public UserSessionCheck CheckUntil(DateTimeOffset expiresAt) => new(UserId, Generation, SessionId, expiresAt);
}
