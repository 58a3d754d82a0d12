using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using MeiLing.Api.Security;
using MeiLing.Grains.Audit;

namespace MeiLing.Api.Audit;

/// <summary>
/// An act of an operator or a merchant key written to the platform's audit log before it is done: who (their role and id),
/// the action, and its detail as JSON (P1.7). If the log cannot take the entry, the caller does nothing.
/// </summary>
internal static class ChangeAudit
{
    public static readonly JsonSerializerOptions DetailJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static async Task AppendAsync<TDetail>(IClusterClient cluster, ClaimsPrincipal caller, string action, TDetail detail) =>
        await cluster.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
            caller.IsInRole(Roles.Operator) ? Roles.Operator : Roles.Merchant, caller.SubjectId() ?? "unknown", action, null,
            JsonSerializer.Serialize(detail, DetailJson)));
}
