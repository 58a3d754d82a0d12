using MeiLing.Api.Security;
using MeiLing.Grains;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Activity;

/// <summary>Records each request of a signed-in user into their activity log (P1.3): IP, browser, language, OS, path, time, search terms.</summary>
public static class ActivityMiddleware
{
    private static readonly string[] SearchParameters = ["q", "search", "keyword"];

    public static IApplicationBuilder UseActivityLog(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            var caller = context.User;
            // A 401 here is a session that had ended: no longer the user's activity to record. A path that names no route is
            // no activity on the platform either, and kept raw it was any 512 characters a client made up, one entry each (P4.4).
            // Nor is a probe or the constant ping: they read nothing of the user's, and a token sent to them in a loop wrote
            // an entry (and asked the user's grain about its session) per request.
            if (caller.IsInRole(Roles.User) && caller.SubjectId() is { } userId && context.Response.StatusCode != StatusCodes.Status401Unauthorized
                && context.GetEndpoint() is not null && !RateLimits.IsProbe(context) && await IsCurrentSessionAsync(context))
            {
                var services = context.RequestServices;
                var userAgent = Truncate(context.Request.Headers.UserAgent.ToString(), 512);
                services.GetRequiredService<ActivityRecorder>().Record(new ActivityEntry(
                    userId,
                    services.GetRequiredService<TimeProvider>().GetUtcNow(),
                    context.Connection.RemoteIpAddress?.ToString(),
                    userAgent,
                    Truncate(FirstLanguage(context.Request.Headers.AcceptLanguage.ToString()), 64),
                    OperatingSystems.FromUserAgent(userAgent),
                    Truncate(context.Request.Path.Value ?? "/", 512)!,
                    Truncate(SearchTerms(context.Request.Query), 256)));
            }
        });

    // P1.3, P4.4: a request that ran no session check (a stylesheet, the API's description, a route authorization refused)
    // is asked about its session here, once: a signed-out token's holder wrote entries of their choosing (the user agent,
    // search terms) into the user's log for the rest of the token's life. An ended session's further requests count
    // against their sender's address, as after any 401.
    private static async Task<bool> IsCurrentSessionAsync(HttpContext context)
    {
        if (context.Features.Get<UserSessionCheck>() is not { Verified: false } session)
        {
            return true;
        }

        try
        {
            await session.VerifyAsync(context.RequestServices.GetRequiredService<IGrainFactory>());
            return true;
        }
        catch (DomainException ended) when (ended.Code == SessionContext.EndedCode)
        {
            EndedSessionIds.RememberSessionOf(context);
            return false;
        }
        catch (Exception)
        {
            // The answer is already on its way: a silo that could not be asked costs this entry, not the request.
            return false;
        }
    }

    // Runs on every signed-in request, so without a query nothing is looked up, and nothing is built for what is not there.
    private static string? SearchTerms(IQueryCollection query)
    {
        if (query.Count == 0)
        {
            return null;
        }

        foreach (var name in SearchParameters)
        {
            if (query[name].ToString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    private static string FirstLanguage(string acceptLanguage) =>
        acceptLanguage.IndexOf(',') is var comma and >= 0 ? acceptLanguage[..comma] : acceptLanguage;

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
