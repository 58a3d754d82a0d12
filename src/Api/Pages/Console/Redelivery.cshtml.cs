using MeiLing.Api.Apis;
using MeiLing.Api.Audit;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// Re-sends a request's notice to one of its recipients (<see cref="RedeliveryPageModel"/>); the request's page shows the
/// outcome. Audited with the request's user, written by the API's handler before it sends (P1.7).
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Support)]
[SupportLookup("requestId")]
public sealed class RedeliveryModel(IClusterClient cluster) : RedeliveryPageModel(cluster)
{
    [FromRoute]
    public string RequestId { get; set; } = "";

    protected override string CausePage => $"/console/requests/{RequestId}";

    protected override async Task<IResult> RedeliverAsync() => await RequestsApi.Redeliver(RequestId, Recipient, Cluster, HttpContext);
}
