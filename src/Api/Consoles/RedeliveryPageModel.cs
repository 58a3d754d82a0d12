using MeiLing.Api.Security;
using MeiLing.Grains.DataRights;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Consoles;

/// <summary>
/// The Re-send button beside a recipient whose retries ran out (P3.1): the API's own redelivery handler for the cause
/// (a request, or a consent withdrawn directly), support only. The page's route names the cause and the recipient as
/// the API's does, so the support-audit middleware writes the same entry, the recipient named (P1.7); a form field could
/// not carry it there. It shows nothing of its own: the outcome, or the refusal (409 <c>recipient-not-failed</c>,
/// <c>notice-expired</c>), is shown on the page of the cause, where a GET goes too.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Support)]
public abstract class RedeliveryPageModel(IClusterClient cluster) : ConsolePageModel(cluster)
{
    [FromRoute]
    public string Recipient { get; set; } = "";

    /// <summary>The console page that shows the cause's recipients.</summary>
    protected abstract string CausePage { get; }

    /// <summary>False when the route names a cause this page does not show (404, nothing sent).</summary>
    protected virtual Task<bool> ShowsTheCauseAsync() => Task.FromResult(true);

    /// <summary>The API's redelivery handler for the cause.</summary>
    protected abstract Task<IResult> RedeliverAsync();

    public IActionResult OnGet() => Redirect(CausePage);

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await ShowsTheCauseAsync())
        {
            return NotFound();
        }

        await AttemptAsync(async () =>
        {
            if (Accept(ApiAnswer.Of<RequestRecipient>(await RedeliverAsync()), out var sent))
            {
                Notice = $"已重新发送给 {Recipient}：{Labels.Recipient(sent)}。Sent {Recipient} its notice again, with a fresh set of retries.";
            }
        });
        if (Error is not null)
        {
            Refusal = $"未重新发送给 {Recipient}。Not sent again: {Error}";
        }

        return Redirect(CausePage);
    }
}
