using MeiLing.Grains.Users;

namespace MeiLing.Api.Security;

/// <summary>
/// The bearer session of the request in hand, until it is known to be current. Asking the user's grain
/// costs a silo round trip, so the answer rides on the request's first call to that grain (see
/// <see cref="SessionCheckingCallFilter"/>); a request whose first call goes elsewhere asks first, and
/// one that calls no grain asks before it answers (<see cref="UserSessionEndpointFilter"/>).
/// </summary>
public sealed class UserSessionCheck(string userId, int generation)
{
    private static readonly AsyncLocal<UserSessionCheck?> InFlight = new();

    private volatile bool _verified;

    public string UserId => userId;

    public int Generation => generation;

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
        if (!await grains.GetGrain<IUserCredentials>(userId).IsSessionCurrent(generation))
        {
            throw SessionContext.Ended();
        }

        MarkVerified();
    }
}
