using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>
/// P3.2: the Object form beside a transfer's notice on /privacy/account posts here, to the API's own objection handler
/// (<c>POST /v1/transfers/{transferId}/objections</c>: its recent sign-in, its grain's refusal of a late or foreign
/// objection). A user who reads the notice only in the browser had no way to act on it, and their data moved to the
/// successor. It shows nothing of its own: the outcome, or the refusal, is shown on the account page.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.User)]
// P4.4 (*reviewer*): the route's own bucket. Every objection takes a turn on the transfer's one grain; posted from the
// account page (whose heavy-reads bucket counts no post), a loop of them held up other customers' objections near the date.
[EnableRateLimiting(RateLimits.SharedGrainWritesPolicy)]
public sealed class TransferObjectionModel(IClusterClient cluster) : ConsolePageModel(cluster)
{
    public const string AccountPage = "/privacy/account";

    [FromRoute]
    public string TransferId { get; set; } = "";

    public IActionResult OnGet() => Redirect(AccountPage);

    public async Task<IActionResult> OnPostAsync()
    {
        // Only the platform's shape of a transfer id reaches a grain: any other string would wake a grain and read storage.
        if (!EntityId.IsWellFormed(TransferId, EntityId.TransferPrefix))
        {
            return NotFound();
        }

        await AttemptAsync(async () =>
        {
            if (Accept(ApiAnswer.Of<TransferObjection>(await TransfersApi.Object(TransferId, User, Cluster, RecentSignIn)), out var objection))
            {
                // Posted again, it is the same objection (the grain keeps the first time), and says so again.
                Notice = $"已反对转让 {objection.TransferId}：您在 {objection.MerchantId} 的数据不会转给 {objection.SuccessorMerchantId}，到期将被删除或匿名化。"
                    + $"You objected to transfer {objection.TransferId}: your data at {objection.MerchantId} is erased or anonymized at your date "
                    + $"({Labels.When(objection.EffectiveAt)}) instead of moving to {objection.SuccessorMerchantId}.";
            }
        });
        if (Error is not null)
        {
            Refusal = $"未记录反对 Objection not recorded: {Error}";
        }

        return Redirect(AccountPage);
    }
}
