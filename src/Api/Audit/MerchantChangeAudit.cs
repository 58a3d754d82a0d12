using System.Security.Claims;

namespace MeiLing.Api.Audit;

/// <summary>
/// The acts on a merchant that one key can do and nobody can undo (P1.7, P4.3, P4.4): its opening, which mints the key that
/// will hold its customers' data; a new API key, which revokes
/// the current one and hands its holder everything the merchant holds of its customers, and the start of its termination,
/// which erases its customers' data there once the notice runs out. Each is written to the audit log before it is done
/// (who, their role, the merchant, and a termination's notice), so an operator's hand on a merchant leaves a trace; if
/// the audit log cannot take the entry, nothing is done. Written as asked, as a transfer's start is: the act may still be
/// refused (a notice too short, a merchant closing or unknown), and <c>GET /v1/merchants/{merchantId}</c> says what stands.
/// </summary>
public static class MerchantChangeAudit
{
    public const string Opened = "merchant:opening-requested";
    public const string KeyReplaced = "merchant:key-replacement-requested";
    public const string TerminationStarted = "merchant:termination-requested";

    public static Task RecordAsync(IClusterClient cluster, ClaimsPrincipal caller, string action, string merchantId, int? noticeDays = null) =>
        ChangeAudit.AppendAsync(cluster, caller, action, new MerchantChangeDetail(merchantId, noticeDays));

    private sealed record MerchantChangeDetail(string MerchantId, int? NoticeDays);
}
