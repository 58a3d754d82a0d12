using System.ComponentModel.DataAnnotations;
using MeiLing.Api.Apis;
using MeiLing.Api.Audit;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// The queue, through the API's own listing handler (keyset pages of the open-request index), with the failed withdrawal
/// notices beside the unconfirmed recipients of requests, and the look-up of a user.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class IndexModel(IClusterClient cluster, TimeProvider clock) : ConsolePageModel(cluster)
{
    public const int PageSize = 50;

    private const string FindByPhoneAction = "console find-user-by-phone";

    [BindProperty(SupportsGet = true), RegularExpression("^(open|overdue|unconfirmed|tickets)$")]
    public string View { get; set; } = "open";

    [BindProperty(SupportsGet = true), StringLength(256)]
    public string? Cursor { get; set; }

    public IReadOnlyList<DataRightsRequestView> Requests { get; private set; } = [];

    /// <summary>The tickets awaiting support's reply, longest waiting first (the tickets tab, P1.7).</summary>
    public IReadOnlyList<AwaitingTicket> AwaitingTickets { get; private set; } = [];

    public string? NextCursor { get; private set; }

    /// <summary>How many failed withdrawal notices the unconfirmed tab's first page shows, the oldest failures first.</summary>
    public const int FailedWithdrawalsShown = 20;

    /// <summary>
    /// The parties told of a consent withdrawn directly whose retries ran out (P1.10, P3.1), on the unconfirmed tab's first
    /// page: a few, with how many in all (counted up to a cap); each is on its user's page too.
    /// </summary>
    public FailedWithdrawalNotices? FailedWithdrawals { get; private set; }

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public bool IsSupport => User.IsInRole(Roles.Support);

    public async Task OnGetAsync()
    {
        if (!IsSupport)
        {
            return;
        }

        if (!ModelState.IsValid)
        {
            View = "open";
            Cursor = null;
        }

        if (View == "tickets")
        {
            // Through the API's handler: each ticket listed is in its user's access log. A cursor not given out here (another
            // tab's) is a message on the page, not the API's problem answer.
            await AttemptAsync(async () =>
            {
                if (Accept(ApiAnswer.Of<ItemPage<AwaitingTicket>>(await TicketsApi.ListAwaitingReply(Cluster, HttpContext, awaitingReply: true, PageSize, Cursor)), out var tickets))
                {
                    AwaitingTickets = tickets.Items;
                    NextCursor = tickets.NextCursor;
                }
            });
            return;
        }

        // As the tickets tab: a cursor the index did not give out (garbled, or another tab's) is the grain's refusal, shown in
        // the page's error box rather than as the API's problem answer in place of the console.
        await AttemptAsync(async () =>
        {
            var answer = ApiAnswer.Of<ItemPage<DataRightsRequestView>>(await RequestsApi.ListOpen(
                Cluster, HttpContext, "open", View == "overdue", View == "unconfirmed", PageSize, Cursor));
            if (Accept(answer, out var page))
            {
                Requests = page.Items;
                NextCursor = page.NextCursor;
            }
        });

        if (View == "unconfirmed" && Cursor is null)
        {
            FailedWithdrawals = await Cluster.GetGrain<IRequestRecipientsGrain>(0).FailedWithdrawals(FailedWithdrawalsShown);
            // P1.7: each user whose withdrawn consent and its recipient the page shows sees the listing in their access log.
            await SupportAudit.SubjectsListedAsync(HttpContext, "receiptId", FailedWithdrawals.Items.Select(notice => (notice.Receipt.UserId, notice.Receipt.ReceiptId)));
        }
    }

    /// <summary>
    /// By user id, or by phone through the phone index; the look-up by phone is audited with the user it found (never the
    /// number) and limited per agent a day.
    /// </summary>
    public async Task<IActionResult> OnPostFindAsync([FromForm, StringLength(64)] string? query)
    {
        var text = query?.Trim() ?? "";
        if (!IsSupport)
        {
            return Forbid();
        }

        if (EntityId.IsWellFormed(text, EntityId.UserPrefix))
        {
            return Redirect($"/console/users/{text}");
        }

        // P1.7, P4.4: counted against the agent's daily look-ups in their staff grain (one count whichever API host
        // serves the page); past it the grain's 429 quota-exceeded, with Retry-After, is the page's answer.
        string? userId;
        try
        {
            userId = await Cluster.GetGrain<IUserAccountsGrain>(0).FindByPhoneForSupport(text, User.SubjectId()!);
        }
        catch (DomainException refused)
        {
            // A refused look-up (past the agent's allowance) is audited too, with why and never the number: an agent
            // probing past the limit leaves a trace of every attempt (P1.7, P4.4). The refusal is still the page's answer.
            await SupportAudit.AppendAsync(HttpContext, FindByPhoneAction, null, $"refused: {refused.Code}");
            throw;
        }

        await SupportAudit.AppendAsync(HttpContext, FindByPhoneAction, userId, userId is null ? "no user" : "found");
        if (userId is null)
        {
            Notice = "没有找到该用户。No user holds that id or number.";
            return Redirect("/console");
        }

        return Redirect($"/console/users/{userId}");
    }
}
