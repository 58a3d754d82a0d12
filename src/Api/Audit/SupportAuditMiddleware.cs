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
    public static IApplicationBuilder UseSupportAudit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.User.IsInRole(Roles.Support) && context.GetEndpoint() is RouteEndpoint endpoint)
            {
                var ids = context.Request.RouteValues
                    .Where(pair => pair.Key.EndsWith("Id", StringComparison.Ordinal))
                    .ToDictionary(pair => pair.Key, pair => pair.Value?.ToString());
                await SupportAudit.AppendAsync(
                    context, $"{context.Request.Method} {RouteIds.Plain(endpoint.RoutePattern)}", ids.GetValueOrDefault("userId"), JsonSerializer.Serialize(ids));
            }

            await next(context);
        });
}

/// <summary>Writes one support action to the platform's audit log, for the middleware and for a look-up whose subject only the look-up finds.</summary>
public static class SupportAudit
{
    public static async Task AppendAsync(HttpContext context, string action, string? userId, string? detail) =>
        await context.RequestServices.GetRequiredService<IClusterClient>()
            .GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey)
            .Append(new AuditEntry(Roles.Support, context.User.SubjectId() ?? "unknown", action, userId, detail));
}
