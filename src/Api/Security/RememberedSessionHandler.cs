using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace MeiLing.Api.Security;

/// <summary>
/// A user's session token that JwtBearer validated before, taken as it took it; every other token, and a request that
/// carries none, goes to JwtBearer itself. JwtBearer's own path with a remembered token still cost a consent read a
/// quarter of its allocations: a copy of the validation parameters, the token cut out of its header, two contexts, the
/// ticket's dates written as strings, the claims searched three times (docs/performance.md, twentieth round).
/// Challenges and forbids are JwtBearer's. It is the default scheme: a request with an API key or the console's cookie
/// is handed to that credential's scheme (ApiHostingExtensions.SelectScheme).
/// </summary>
public sealed class RememberedSessionHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserSessions sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RememberedSession";

    private const string BearerPrefix = "Bearer ";

    // JwtBearer answers every challenge and forbid of a user's request. Not through ForwardChallenge and ForwardForbid:
    // those would come before the scheme's ForwardDefaultSelector and take an API key's challenge from its own scheme.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme, properties);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Context.ForbidAsync(JwtBearerDefaults.AuthenticationScheme, properties);

    protected override Task<object> CreateEventsAsync() => UnwrittenTicket.Events;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (sessions.Recall(PresentedToken()) is { Session: { } session } remembered)
        {
            Context.Features.Set(session.CheckUntil(remembered.ExpiresAt));
            return AuthenticateResult.Success(UnwrittenTicket.For(new ClaimsPrincipal(remembered.Identity), JwtBearerDefaults.AuthenticationScheme));
        }

        return await Context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
    }

    // The token as JwtBearer finds it (UserSessions.Configure): the one Authorization header's after "Bearer ", else
    // the session cookie when there is no header. Anything else is empty, and JwtBearer decides.
    private ReadOnlySpan<char> PresentedToken()
    {
        var authorization = Request.Headers.Authorization;
        if (authorization.Count == 0 || string.IsNullOrEmpty(authorization))
        {
            return UserSessions.CookieMayAuthenticate(Request) && UserSessions.TryReadCookie(Request, out var cookie) ? cookie : default;
        }

        return authorization.Count == 1 && authorization[0] is { } header && header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? header.AsSpan(BearerPrefix.Length).Trim()
            : default;
    }
}
