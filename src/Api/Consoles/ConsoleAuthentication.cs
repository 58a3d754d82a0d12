using System.Security.Claims;
using System.Security.Cryptography;
using MeiLing.Api.Security;
using MeiLing.Grains.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MeiLing.Api.Consoles;

/// <summary>
/// The support console's session: a support or operator key, checked once at sign-in like the
/// <c>X-Api-Key</c> header (<see cref="StaffKeys"/>), then an HttpOnly cookie that holds the caller's
/// claims, the key's hash and a random session id. The key is asked again on every request, so an off-boarded
/// agent's cookie stops working as soon as their key does; and the session too (<see cref="IConsoleSessionGrain"/>),
/// so a copy of the cookie stops working once the agent signed out.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "console";
    public const string CookieName = "meiling_console";
    public const string KeyHashClaim = "key";
    public const string SessionClaim = "sid";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = ConsolePaths.Console;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = IConsoleSessionGrain.Lifetime;
        options.SlidingExpiration = false;
        options.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = async context =>
            {
                // P1.7, P4.4: a sibling host's page (same site, so the Strict cookie goes) is not the agent at the console:
                // its image tags on console pages wrote audit entries in the agent's name and spent their day of calls.
                // Left signed in elsewhere: the cookie is not the page's to end.
                if (!UserSessions.FromThisOrigin(context.HttpContext.Request))
                {
                    context.RejectPrincipal();
                    return;
                }

                var services = context.HttpContext.RequestServices;
                var keyHash = context.Principal?.FindFirstValue(KeyHashClaim);
                var sessionId = context.Principal?.FindFirstValue(SessionClaim);
                if (keyHash is null || sessionId is null
                    || await services.GetRequiredService<StaffKeys>().ResolveHashAsync(keyHash, Scheme) is not { } current
                    || current.SubjectId() != context.Principal!.SubjectId()
                    || await services.GetRequiredService<IClusterClient>().GetGrain<IConsoleSessionGrain>(sessionId).IsEnded())
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                    return;
                }

                context.ReplacePrincipal(ForSession(current, keyHash, sessionId));
            },

            // Pages answer 401/403 through ConsoleChallenges, never by a redirect of the cookie handler's own.
            OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            },
            OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>A new session's id: 128 random bits, so nobody names another's session to end it.</summary>
    public static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The staff principal with the hash of the key it signed in with and its session's id, as the cookie keeps them.</summary>
    public static ClaimsPrincipal ForSession(ClaimsPrincipal staff, string keyHash, string sessionId)
    {
        var identity = new ClaimsIdentity(staff.Claims, Scheme, CallerClaims.Subject, ClaimTypes.Role);
        identity.AddClaim(new Claim(KeyHashClaim, keyHash));
        identity.AddClaim(new Claim(SessionClaim, sessionId));
        return new ClaimsPrincipal(identity);
    }
}
