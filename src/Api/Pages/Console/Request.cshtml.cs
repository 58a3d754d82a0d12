using MeiLing.Api.Apis;
using MeiLing.Api.Audit;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Audit;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// One request: its progress, recipients, erasure receipt and audit trail, and the staff actions on it,
/// each through the API's own handler (confirm with the user's code, approve as a second agent, reject
/// with a reason). An operator sees it as in the API, masked, with the filing they may approve, the read on the user's
/// access log, and may approve or reject. An action is taken on
/// the request the page's address names, as the support-audit middleware reads it, and the handler writes its entry
/// with the request's user before it acts (P1.7).
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Staff)]
[SupportLookup("requestId")] // P1.7: support's view of the page, and each action on it, is audited with the request's user
public sealed class RequestModel(IClusterClient cluster, TimeProvider clock) : ConsolePageModel(cluster)
{
    public const int TrailLength = 500;

    /// <summary>
    /// The request the page's address names, and no other: a form field of the same name would outrank the address in
    /// model binding (form values bind first), so an action could be taken on one request while the support-audit
    /// middleware wrote the address's into the entry (P1.7).
    /// </summary>
    [FromRoute(Name = "requestId")]
    public string? RequestId { get; set; }

    /// <summary>The look-up box's <c>?requestId=</c>, which only leads to the page whose address names it.</summary>
    [FromQuery(Name = "requestId")]
    public string? LookedUp { get; set; }

    public DataRightsRequestView? View { get; private set; }

    public IReadOnlyList<AuditRecord> Trail { get; private set; } = [];

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public bool IsSupport => User.IsInRole(Roles.Support);

    public async Task<IActionResult> OnGetAsync()
    {
        if (RequestId is null)
        {
            return LookedUp is null ? Redirect(ConsolePaths.Console)
                : EntityId.IsWellFormed(LookedUp, EntityId.RequestPrefix) ? Redirect($"/console/requests/{LookedUp}")
                : NotFound();
        }

        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync([FromForm] string? verificationCode) =>
        ActAsync("已确认，开始处理。Confirmed: the request starts.", new ConfirmationBody(verificationCode), async (id, body) => await RequestsApi.Confirm(id, body, User, Cluster, RecentSignIn, HttpContext));

    public Task<IActionResult> OnPostApproveAsync([FromForm] string? reason) =>
        ActAsync("已批准。Approved.", new ReasonBody(reason ?? ""), async (id, body) => await RequestsApi.Approve(id, body, User, Cluster, HttpContext));

    public Task<IActionResult> OnPostRejectAsync([FromForm] string? reason) =>
        ActAsync("已驳回。Rejected.", new ReasonBody(reason ?? ""), async (id, body) => await RequestsApi.Reject(id, body, User, Cluster, HttpContext));

    private async Task<IActionResult> ActAsync<TBody>(string done, TBody body, Func<string, TBody, Task<IResult>> action)
        where TBody : notnull
    {
        // The request comes from the page's address alone, where the audit entry reads it: named in a form field or the
        // query instead (the address's id is optional, for the look-up box), the action is not taken.
        if (!EntityId.IsWellFormed(RequestId, EntityId.RequestPrefix))
        {
            return NotFound();
        }

        Error = EdgeValidation.Errors(body);
        if (Error is null && await AttemptAsync(async () => Accept(ApiAnswer.Of<DataRightsRequestView>(await action(RequestId!, body)), out _)) && Error is null)
        {
            Notice = done;
            return Redirect($"/console/requests/{RequestId}");
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        View = ApiAnswer.Of<DataRightsRequestView>(await RequestsApi.Get(RequestId!, User, Cluster, HttpContext)).Value;
        if (View is not null)
        {
            // The request's own entries, chosen by the database: the user's oldest entries filtered here would lose a new
            // request's receipt and approvals behind any 500 others about the user, page views an agent makes at will.
            Trail = await Cluster.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).AboutRequest(View.UserId, RequestId!, TrailLength);
        }
    }
}
