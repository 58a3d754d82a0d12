using System.Text.Json;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains.Audit;

namespace MeiLing.Api.Audit;

/// <summary>
/// Every call by a support tool is written to the hash-chained audit log before it runs (P1.7): who,
/// which route, and the ids it names. If the audit log cannot take the entry, the call does not happen.
/// The support console's pages are routes like any other here (their route ids included).
/// </summary>
public static class SupportAuditMiddleware
{
    // Ids are short; anything longer is not an id and is left out rather than written to the log.
    private const int MaxQueryIdLength = 64;

    public static IApplicationBuilder UseSupportAudit(this IApplicationBuilder app) =>
        // Only support's calls are written: every other goes on without a step of its own (no async state kept for it).
        app.Use((context, next) =>
            context.User.IsInRole(Roles.Support) && context.GetEndpoint() is RouteEndpoint endpoint
                ? AuditThenRunAsync(context, endpoint, next)
                : next(context));

    private static async Task AuditThenRunAsync(HttpContext context, RouteEndpoint endpoint, RequestDelegate next)
    {
        var ids = context.Request.RouteValues
            .Where(pair => pair.Key.EndsWith("Id", StringComparison.Ordinal) || pair.Key == RouteIds.PartyParameter)
            .ToDictionary(pair => pair.Key, pair => pair.Value?.ToString());
        // The subject is the route's user only: a query string is the caller's to write.
        var userId = ids.GetValueOrDefault("userId");
        // A console form names what it acts on in its query (a reply's ticketId): that goes in the detail too.
        foreach (var (key, value) in context.Request.Query)
        {
            if (key.EndsWith("Id", StringComparison.Ordinal) && !ids.ContainsKey(key) && value.ToString() is { Length: <= MaxQueryIdLength } id)
            {
                ids[key] = id;
            }
        }

        await SupportAudit.AppendAsync(
            context, $"{context.Request.Method} {RouteIds.Plain(endpoint.RoutePattern)}", userId, JsonSerializer.Serialize(ids));
        await next(context);
    }
}

/// <summary>Writes one support action to the platform's audit log, for the middleware and for a look-up whose subject only the look-up finds.</summary>
public static class SupportAudit
{
    public static async Task AppendAsync(HttpContext context, string action, string? userId, string? detail) =>
        await context.RequestServices.GetRequiredService<IClusterClient>()
            .GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey)
            .Append(new AuditEntry(Roles.Support, context.User.SubjectId() ?? "unknown", action, userId, detail));
}
