using System.Security.Claims;

namespace MeiLing.Api.Audit;

/// <summary>
/// An operator's start of a business transfer (P3.2, P4.4): one operator key hands a merchant's customers to another
/// merchant, so who asked, for which merchants and date, is written to the audit log before anything moves; if the audit
/// log cannot take it, nothing starts. Written as asked: the transfer may still be refused (a date too near, a successor
/// in another region), and <c>GET /v1/transfers/{transferId}</c> says whether it exists.
/// </summary>
public static class TransferStartAudit
{
    public const string Action = "transfer:start-requested";

    public static Task RecordAsync(
        IClusterClient cluster, ClaimsPrincipal caller, string merchantId, string transferId, string successorMerchantId, DateTimeOffset effectiveAt) =>
        ChangeAudit.AppendAsync(cluster, caller, Action, new TransferStartDetail(merchantId, transferId, successorMerchantId, effectiveAt));

    private sealed record TransferStartDetail(string MerchantId, string TransferId, string SuccessorMerchantId, DateTimeOffset EffectiveAt);
}
