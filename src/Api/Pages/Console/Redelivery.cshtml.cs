using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>Re-sends a request's notice to one of its recipients (<see cref="RedeliveryPageModel"/>); the request's page shows the outcome.</summary>
[Authorize(Policy = AuthorizationPolicies.Support)]
public sealed class RedeliveryModel(IClusterClient cluster) : RedeliveryPageModel(cluster)
{
    [FromRoute]
    public string RequestId { get; set; } = "";

    protected override string CausePage => $"/console/requests/{RequestId}";

    protected override async Task<IResult> RedeliverAsync() => await RequestsApi.Redeliver(RequestId, Recipient, Cluster);
}
