using System.Security.Claims;
using System.Text.Json;
using MeiLing.Api.Security;
using MeiLing.Grains.Audit;

namespace MeiLing.Api.Audit;

/// <summary>
/// The two acts on a merchant that one key can do and nobody can undo (P1.7, P4.3, P4.4): a new API key, which revokes
/// the current one and hands its holder everything the merchant holds of its customers, and the start of its termination,
/// which erases its customers' data there once the notice runs out. Each is written to the audit log before it is done
/// (who, their role, the merchant, and a termination's notice), so an operator's hand on a merchant leaves a trace; if
/// the audit log cannot take the entry, nothing is done. Written as asked, as a transfer's start is: the act may still be
/// refused (a notice too short, a merchant closing or unknown), and <c>GET /v1/merchants/{merchantId}</c> says what stands.
/// </summary>
public static class MerchantChangeAudit
{
    public const string KeyReplaced = "merchant:key-replacement-requested";
    public const string TerminationStarted = "merchant:termination-requested";

    private static readonly JsonSerializerOptions DetailJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task RecordAsync(IClusterClient cluster, ClaimsPrincipal caller, string action, string merchantId, int? noticeDays = null) =>
        await cluster.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Append(new AuditEntry(
            caller.IsInRole(Roles.Operator) ? Roles.Operator : Roles.Merchant, caller.SubjectId() ?? "unknown", action, null,
            JsonSerializer.Serialize(new MerchantChangeDetail(merchantId, noticeDays), DetailJson)));

    private sealed record MerchantChangeDetail(string MerchantId, int? NoticeDays);
}
