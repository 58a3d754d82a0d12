using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// Re-sends a direct consent withdrawal's <c>consent.withdrawn</c> to a party told of it (<see cref="RedeliveryPageModel"/>,
/// P1.10), through <c>POST /v1/consent-records/{receiptId}/recipients/{recipient}/redelivery</c>'s handler. The route
/// names the receipt's user as well, so the audit entry is about them and the outcome shows on their page; a receipt of
/// another user is not on that page, so it is 404 here and nothing is sent.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Support)]
public sealed class WithdrawalRedeliveryModel(IClusterClient cluster) : RedeliveryPageModel(cluster)
{
    [FromRoute]
    public string UserId { get; set; } = "";

    [FromRoute]
    public string ReceiptId { get; set; } = "";

    protected override string CausePage => $"/console/users/{UserId}";

    protected override async Task<bool> ShowsTheCauseAsync() =>
        EntityId.IsWellFormed(ReceiptId, EntityId.ReceiptPrefix)
        && await Cluster.GetGrain<IConsentRecordGrain>(ReceiptId).Get() is { } receipt && receipt.UserId == UserId;

    protected override async Task<IResult> RedeliverAsync() => await ConsentRecordsApi.Redeliver(ReceiptId, Recipient, Cluster, HttpContext);
}
