using System.Security.Claims;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MeiLing.Api.Consoles;

/// <summary>
/// The support console's session: a support or operator key, checked once at sign-in like the
/// <c>X-Api-Key</c> header (<see cref="StaffKeys"/>), then an HttpOnly cookie that holds the caller's
/// claims and the key's hash. The key is asked again on every request, so an off-boarded agent's
/// cookie stops working as soon as their key does.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "console";
    public const string CookieName = "meiling_console";
    public const string KeyHashClaim = "key";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = ConsolePaths.Console;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = false;
        options.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = async context =>
            {
                var keys = context.HttpContext.RequestServices.GetRequiredService<StaffKeys>();
                var keyHash = context.Principal?.FindFirstValue(KeyHashClaim);
                if (keyHash is null || await keys.ResolveHashAsync(keyHash, Scheme) is not { } current
                    || current.SubjectId() != context.Principal!.SubjectId())
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                    return;
                }

                context.ReplacePrincipal(WithKeyHash(current, keyHash));
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

    /// <summary>The staff principal with the hash of the key it signed in with, as the cookie keeps it.</summary>
    public static ClaimsPrincipal WithKeyHash(ClaimsPrincipal staff, string keyHash)
    {
        var identity = new ClaimsIdentity(staff.Claims, Scheme, CallerClaims.Subject, ClaimTypes.Role);
        identity.AddClaim(new Claim(KeyHashClaim, keyHash));
        return new ClaimsPrincipal(identity);
    }
}
