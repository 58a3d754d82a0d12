using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Api.Security;

/// <summary>
/// Authentication wrapped in the <see cref="FailedAuthenticationLimit"/> (P4.4): a request whose credential is
/// wrong (an API key the platform never issued or revoked, a token it did not sign) spends one of its address's
/// failures, and once they are spent such a request gets 429 instead of 401. Only wrong credentials count and
/// only they are refused: a session that merely expired or was ended is a real user's, not a guess, and a valid
/// credential always goes through, so neighbours behind one NAT address are not locked out by a guesser among
/// them (an API key once this host has resolved it lately: a key new to it is not looked up from a spent address). Requests without credentials go on to the anonymous per-address bucket.
/// </summary>
public static class FailedAuthenticationGate
{
    public static IApplicationBuilder UseAuthenticationWithFailureLimit(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        return app.Use(LimitWrongCredentials);
    }

    private static async Task LimitWrongCredentials(HttpContext context, RequestDelegate next)
    {
        // Probes included: a probe carries no credential, and one that carries a wrong key has the silo look it up all the
        // same, as any other route would.
        if (await PresentsWrongCredentialAsync(context))
        {
            var limit = context.RequestServices.GetRequiredService<FailedAuthenticationLimit>();
            var address = context.Connection.RemoteIpAddress;
            using var lease = limit.Check(address);
            if (!lease.IsAcquired)
            {
                await RateLimits.RejectAsync(context, lease);
                return;
            }

            limit.RecordFailure(address);
        }

        await next(context);
    }

    private static async Task<bool> PresentsWrongCredentialAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true || !PresentsCredentials(context))
        {
            return false;
        }

        // The handlers keep their result for the request: asking again costs no second lookup.
        var result = await context.AuthenticateAsync();
        return result.Failure is not (SecurityTokenExpiredException or SecurityTokenNotYetValidException);
    }

    private static bool PresentsCredentials(HttpContext context) =>
        context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
        || context.Request.Headers.ContainsKey("Authorization")
        // A cookie the request may not be signed in by (a state change from another origin) is not read, so it is no credential.
        || (UserSessions.HasCookie(context.Request) && UserSessions.CookieMayAuthenticate(context.Request));
}
