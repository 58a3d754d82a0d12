using MeiLing.Grains;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Security;

/// <summary>
/// The bearer session of the request in hand, until it is known to be current. Asking the user's grain
/// costs a silo round trip, so the answer rides on the request's first call to that grain (see
/// <see cref="SessionCheckingCallFilter"/>); a request whose first call goes elsewhere asks first, and
/// one that calls no grain asks before it answers (<see cref="UserSessionEndpointFilter"/>).
/// </summary>
public sealed class UserSessionCheck(string userId, int generation, string? sessionId, DateTimeOffset expiresAt)
{
    public const string WithoutIdCode = "session-without-id";

    private static readonly AsyncLocal<UserSessionCheck?> InFlight = new();

    private volatile bool _verified;

    public string UserId => userId;

    public int Generation => generation;

    /// <summary>The token's own id (<c>sid</c>); null for a token issued before sessions had one.</summary>
    public string? SessionId => sessionId;

    /// <summary>When the token expires: until then the user grain must remember the session, once ended.</summary>
    public DateTimeOffset ExpiresAt => expiresAt;

    public bool Verified => _verified;

    /// <summary>The session of the request whose endpoint is running on this async flow.</summary>
    public static UserSessionCheck? Current
    {
        get => InFlight.Value;
        set => InFlight.Value = value;
    }

    public void MarkVerified() => _verified = true;

    /// <summary>Asks the user's grain; the call itself carries the session, so a revoked one throws there.</summary>
    public async Task VerifyAsync(IGrainFactory grains)
    {
        var credentials = grains.GetGrain<IUserCredentials>(userId);
        // A token without an id asks the previous release's method, which every silo serves.
        var current = sessionId is null
            ? await credentials.IsSessionCurrent(generation)
            : await credentials.IsSessionOpen(generation, sessionId);
        if (!current)
        {
            throw SessionContext.Ended();
        }

        MarkVerified();
    }

    /// <summary>
    /// Ends this session alone in the user's grain (sign out, P4.4): every later request with its token is 401 on
    /// every API host. A token without an id is 409 <c>session-without-id</c>: only signing out everywhere ends it.
    /// </summary>
    public async Task EndAsync(IGrainFactory grains)
    {
        if (sessionId is null)
        {
            throw DomainException.Conflict(WithoutIdCode,
                "This session was issued before sessions could be ended one at a time: sign out everywhere (DELETE /v1/sessions) to end it.");
        }

        await grains.GetGrain<IUserCredentials>(userId).EndSession(generation, sessionId, expiresAt);
    }
}
