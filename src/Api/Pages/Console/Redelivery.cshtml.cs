using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.DataRights;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// The Re-send button beside a recipient whose retries ran out (P3.1): the API's own redelivery handler, support only.
/// The page's route names the request and the recipient as the API's does, so the support-audit middleware writes
/// the same entry, the recipient named (P1.7); a form field could not carry it there. It shows nothing of its own:
/// the outcome, or the refusal (409 <c>recipient-not-failed</c>, <c>notice-expired</c>), is shown on the request's page.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Support)]
public sealed class RedeliveryModel(IClusterClient cluster) : ConsolePageModel(cluster)
{
    [FromRoute]
    public string RequestId { get; set; } = "";

    [FromRoute]
    public string Recipient { get; set; } = "";

    private string RequestPage => $"/console/requests/{RequestId}";

    public IActionResult OnGet() => Redirect(RequestPage);

    public async Task<IActionResult> OnPostAsync()
    {
        await AttemptAsync(async () =>
        {
            if (Accept(ApiAnswer.Of<RequestRecipient>(await RequestsApi.Redeliver(RequestId, Recipient, Cluster)), out var sent))
            {
                Notice = $"已重新发送给 {Recipient}：{Labels.Recipient(sent)}。Sent {Recipient} its notice again, with a fresh set of retries.";
            }
        });
        if (Error is not null)
        {
            Refusal = $"未重新发送给 {Recipient}。Not sent again: {Error}";
        }

        return Redirect(RequestPage);
    }
}
