using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>
/// The user's requests with their status, filing a new one, and confirming or cancelling one support filed; all through
/// the API's handlers. The export is the API's own route (<c>GET /v1/requests/{id}/export</c>), which the
/// session cookie opens, as JSON or as the readable page.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.User)]
// P4.4: each view wakes up to a hundred request grains, as GET /v1/users/{userId}/requests does: the same bucket.
[EnableRateLimiting(RateLimits.HeavyReadsPolicy)]
public sealed class RequestsModel(IClusterClient cluster, RecentSignIn recentSignIn) : ConsolePageModel(cluster)
{
    /// <summary>Whether this session may download an export now (a recent sign-in, as the download asks); else a link to sign in again.</summary>
    public bool SignedInRecently => recentSignIn.IsRecent(User);

    [BindProperty]
    public RequestForm? Input { get; set; }

    /// <summary>The newest requests shown; the whole list is the API's paged one and the export.</summary>
    public const int RequestsShown = IDataRightsRequestsGrain.MaxUserPageSize;

    public IReadOnlyList<DataRightsRequestView> Requests { get; private set; } = [];

    private string UserId => User.SubjectId()!;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostFileRequestAsync()
    {
        if (await FileRequestAsync(UserId, Input, filed => $"已提交 {Labels.Type(filed.Type)} · {filed.RequestId}" + FollowUpNote(filed)))
        {
            return Redirect("/privacy/requests");
        }

        return Refused();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? requestId)
    {
        // The form's id is the caller's to write: only the platform's shape reaches a grain, as on the API's route.
        if (!EntityId.IsWellFormed(requestId, EntityId.RequestPrefix))
        {
            return NotFound();
        }

        DataRightsRequestView? confirmed = null;
        if (await AttemptAsync(async () => Accept(ApiAnswer.Of<DataRightsRequestView>(await RequestsApi.Confirm(requestId!, null, User, Cluster, RecentSignIn, HttpContext)), out confirmed)) && Error is null)
        {
            Notice = "已确认。Confirmed." + (confirmed is null ? "" : FollowUpNote(confirmed));
            return Redirect("/privacy/requests");
        }

        return Refused();
    }

    /// <summary>
    /// P1.7, P8.1: the user stops a request before its first step, as <c>POST /v1/requests/{id}/cancellation</c> does: above all
    /// a cancellation or deletion support filed in their name, which otherwise waits only for a second agent's approval.
    /// No recent sign-in: cancelling only protects the user.
    /// </summary>
    public async Task<IActionResult> OnPostCancelAsync(string? requestId)
    {
        // The form's id is the caller's to write: only the platform's shape reaches a grain, as on the API's route.
        if (!EntityId.IsWellFormed(requestId, EntityId.RequestPrefix))
        {
            return NotFound();
        }

        if (await AttemptAsync(async () => Accept(ApiAnswer.Of<DataRightsRequestView>(await RequestsApi.Cancel(requestId!, User, Cluster, HttpContext)), out _)) && Error is null)
        {
            Notice = $"已取消 Cancelled · {requestId}";
            return Redirect("/privacy/requests");
        }

        return Refused();
    }

    /// <summary>
    /// Whether the page offers to cancel <paramref name="request"/>: what the grain accepts from the user, an open request no
    /// step of which has run, unless the platform filed it (P5.1: a child's erasure the guardian's withdrawal asked for).
    /// </summary>
    public static bool CanCancel(DataRightsRequestView request) =>
        request.Status.IsOpen() && request.Progress is not { StepsDone: > 0 } && request.FiledBy != RequestActor.PlatformRole;

    // P4.4: a refused form goes back to the page's GET with its refusal, which spends the heavy reads' bucket, rather than
    // waking the hundred requests itself: a post is outside that bucket, and a script posting a form the API refuses
    // read the list at the user's 5,000 calls a second.
    private RedirectResult Refused()
    {
        Refusal = Error;
        return Redirect("/privacy/requests");
    }

    // P8.1: a cancellation's follow-up code, shown once here (and texted): the page is gone with the account.
    private static string FollowUpNote(DataRightsRequestView request) =>
        request.FollowUpCode is { } code ? $" · 查询码 follow-up code {code}：注销后凭此码查询进度与各接收方的确认 (POST /v1/requests/{request.RequestId}/follow-up)" : "";

    private async Task LoadAsync()
    {
        var newest = (await Cluster.GetGrain<IDataRightsRequestsGrain>(0).OfUser(UserId, 0, RequestsShown, newestFirst: true)).Take(RequestsShown);
        Requests = await Task.WhenAll(newest.Select(request => RequestsApi.WithProposedChangesAsync(request, User, Cluster)));
    }
}
