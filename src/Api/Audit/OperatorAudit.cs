using System.Text.Json;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains.Audit;

namespace MeiLing.Api.Audit;

/// <summary>
/// An operator's read of one user's resource (a data-rights request they may approve or reject) is written to the audit
/// log with that user as its subject before it is shown, as support's is, so the user's access log shows it (P1.7).
/// If the audit log cannot take it, nothing is shown. Anyone else's call writes nothing here.
/// </summary>
public static class OperatorAudit
{
    public static async Task SubjectReadAsync(HttpContext context, string userId, string resourceIdName, string resourceId)
    {
        if (!context.User.IsInRole(Roles.Operator) || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return;
        }

        await context.RequestServices.GetRequiredService<IClusterClient>().GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
            Roles.Operator,
            context.User.SubjectId() ?? "unknown",
            $"{context.Request.Method} {RouteIds.Plain(endpoint.RoutePattern)}",
            userId,
            JsonSerializer.Serialize(new Dictionary<string, string> { ["subjectFrom"] = resourceIdName, [resourceIdName] = resourceId })));
    }
}
