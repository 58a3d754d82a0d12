namespace MeiLing.Api.Security;

/// <summary>
/// Authentication wrapped in the <see cref="FailedAuthenticationLimit"/> (P4.4): a request carrying
/// credentials from an address that has spent its failures gets 429 before the credentials are examined
/// (no key lookup, no token validation); a request whose credentials do not authenticate spends one.
/// Requests without credentials have nothing to examine and go on to the anonymous per-address bucket.
/// </summary>
public static class FailedAuthenticationGate
{
    public static IApplicationBuilder UseAuthenticationWithFailureLimit(this IApplicationBuilder app)
    {
        app.Use(RefuseSpentAddresses);
        app.UseAuthentication();
        return app.Use(CountFailures);
    }

    private static async Task RefuseSpentAddresses(HttpContext context, RequestDelegate next)
    {
        if (PresentsCredentials(context) && !RateLimits.IsExempt(context))
        {
            using var lease = context.RequestServices.GetRequiredService<FailedAuthenticationLimit>().Check(RateLimits.ClientAddress(context));
            if (!lease.IsAcquired)
            {
                await RateLimits.RejectAsync(context, lease);
                return;
            }
        }

        await next(context);
    }

    private static Task CountFailures(HttpContext context, RequestDelegate next)
    {
        if (PresentsCredentials(context) && context.User.Identity?.IsAuthenticated != true)
        {
            context.RequestServices.GetRequiredService<FailedAuthenticationLimit>().RecordFailure(RateLimits.ClientAddress(context));
        }

        return next(context);
    }

    private static bool PresentsCredentials(HttpContext context) =>
        context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
        || context.Request.Headers.ContainsKey("Authorization")
        || context.Request.Cookies.ContainsKey(UserSessions.CookieName);
}
