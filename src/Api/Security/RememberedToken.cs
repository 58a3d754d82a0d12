using System.Security.Claims;

namespace MeiLing.Api.Security;

/// <summary>
/// A session token that validated before: its caller, shared by every request that presents it, when it expires, and
/// the session its claims name, read once instead of on every request (null when they name none: such a token is
/// refused, see <see cref="UserSessions"/>).
/// </summary>
public sealed class RememberedToken(SharedSessionIdentity identity, DateTimeOffset expiresAt)
{
    public SharedSessionIdentity Identity => identity;

    public DateTimeOffset ExpiresAt => expiresAt;

    public SessionClaims? Session { get; } = SessionClaims.Read(new ClaimsPrincipal(identity));
}
