using System.Text.Json;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains.Audit;

namespace MeiLing.Api.Audit;

/// <summary>
/// An operator's read of one user's resource (a data-rights request they may approve or reject) is written to the audit
/// log with that user as its subject before it is shown, as support's is, so the user's access log shows it (P1.7).
/// If the audit log cannot take it, nothing is shown. Once a day for an operator and a resource on each API host
/// (<see cref="RecentListings"/>), as support's listings: a reload of the console's page, or a script reading in a loop,
/// wrote a row to the append-only log each time. Anyone else's call writes nothing here.
/// </summary>
public static class OperatorAudit
{
    public static async Task SubjectReadAsync(HttpContext context, string userId, string resourceIdName, string resourceId)
    {
        if (!context.User.IsInRole(Roles.Operator) || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return;
        }

        var operatorId = context.User.SubjectId() ?? "unknown";
        await context.RequestServices.GetRequiredService<RecentListings>().RecordOnceTodayAsync(operatorId, [resourceId], id => id, _ =>
            context.RequestServices.GetRequiredService<IClusterClient>().GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
                Roles.Operator,
                operatorId,
                $"{context.Request.Method} {RouteIds.Plain(endpoint.RoutePattern)}",
                userId,
                SupportAudit.SubjectDetail(resourceIdName, resourceId))));
    }

    /// <summary>
    /// An operator's read of a listing that must not reach the users it names (the legal demands they were not told of,
    /// P3.3): written before it is shown, with the ids listed under <paramref name="idsName"/> and no subject user, so no
    /// user's access log shows it. If the audit log cannot take it, nothing is shown. Once a day for an operator and an id
    /// on each API host, as <see cref="SubjectReadAsync"/>; a page that lists nothing writes nothing.
    /// </summary>
    public static async Task ListedAsync(HttpContext context, string action, string idsName, IEnumerable<string> listed)
    {
        if (!context.User.IsInRole(Roles.Operator))
        {
            return;
        }

        var operatorId = context.User.SubjectId() ?? "unknown";
        var auditLog = context.RequestServices.GetRequiredService<IClusterClient>().GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);
        // Remembered under the action too: another read of the same id (another route, another kind of entry) is its own.
        await context.RequestServices.GetRequiredService<RecentListings>().RecordOnceTodayAsync(operatorId, listed, id => action + " " + id, unrecorded =>
            auditLog.Append(new AuditEntry(
                Roles.Operator, operatorId, action, null, JsonSerializer.Serialize(new Dictionary<string, IReadOnlyList<string>> { [idsName] = unrecorded }))));
    }
}
