using MeiLing.Api.Apis;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains;
using MeiLing.Grains.DataRights;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MeiLing.Api.Consoles;

/// <summary>
/// What every console page shares: the cluster client, and the grains' refusals shown on the page
/// (the words the API would put in its problem's <c>detail</c>) rather than as an error page.
/// </summary>
public abstract class ConsolePageModel(IClusterClient cluster) : PageModel
{
    protected IClusterClient Cluster { get; } = cluster;

    /// <summary>The API's rule for what a session does only shortly after a sign-in (P4.4), for the handlers the pages call.</summary>
    protected RecentSignIn RecentSignIn => HttpContext.RequestServices.GetRequiredService<RecentSignIn>();

    /// <summary>
    /// What the page says of <paramref name="request"/> if it changes where the user's orders are delivered (P1.5, P4.4):
    /// in the user's words to the request's own user, with whether their sign-in is recent enough to confirm it now.
    /// </summary>
    public DeliveryChange DeliveryChangeOf(DataRightsRequestView request) =>
        User.IsUser(request.UserId)
            ? new(request, (int)RecentSignIn.Window.TotalMinutes, ToTheUser: true, SignedInRecently: RecentSignIn.IsRecent(User))
            : new(request, (int)RecentSignIn.Window.TotalMinutes, ToTheUser: false);

    /// <summary>A refusal or a validation error to show above the page's content.</summary>
    public string? Error { get; protected set; }

    /// <summary>What the last action did, shown once.</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Notice { get; set; }

    /// <summary>
    /// A refusal of the last action, shown once on the page it went back to: an action posted from one page whose
    /// outcome another shows (the Re-send button's) cannot keep <see cref="Error"/> across the redirect.
    /// </summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Refusal { get; set; }

    /// <summary>Runs a grain-backed step; a refusal becomes <see cref="Error"/> and false.</summary>
    protected async Task<bool> AttemptAsync(Func<Task> step)
    {
        try
        {
            await step();
            return true;
        }
        catch (DomainException refusal)
        {
            Error = refusal.Message;
            return false;
        }
    }

    /// <summary>Reads an API handler's answer; a refusal or a validation problem becomes <see cref="Error"/>.</summary>
    protected bool Accept<T>(ApiAnswer<T> answer, out T value)
    {
        value = answer.Value!;
        if (answer.Succeeded && answer.Value is not null)
        {
            return true;
        }

        Error = answer.Errors.Count > 0
            ? string.Join(" ", answer.Errors.SelectMany(pair => pair.Value))
            : answer.Status == StatusCodes.Status404NotFound ? "Not found. 未找到。" : $"Refused ({answer.Status}).";
        return false;
    }

    /// <summary>
    /// Files the form's request for <paramref name="userId"/> through the API's own handler (its caller checks,
    /// validation and allowance); true when it was filed, with <see cref="Notice"/> from <paramref name="notice"/>.
    /// </summary>
    protected async Task<bool> FileRequestAsync(string userId, RequestForm? form, Func<DataRightsRequestView, string> notice)
    {
        // The form's type, its values and the API's edge validation, its correction's delivery included (RequestForm).
        var invalid = form is null ? "请填写表单。Fill in the form." : form.Problems();
        if (invalid is not null)
        {
            Error = invalid;
            return false;
        }

        return await AttemptAsync(async () =>
        {
            if (Accept(ApiAnswer.Of<DataRightsRequestView>(await RequestsApi.File(userId, form!.ToBody(), User, Cluster, RecentSignIn)), out var filed))
            {
                Notice = notice(filed);
            }
        }) && Error is null;
    }
}
