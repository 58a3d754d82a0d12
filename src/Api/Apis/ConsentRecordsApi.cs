using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Problems;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>
/// Consent receipts, each its own immutable record: readable by its user and by support, support's calls audited with the
/// receipt's user as their subject (P1.7).
/// </summary>
public static class ConsentRecordsApi
{
    public static RouteGroupBuilder MapConsentRecordsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/consent-records").WithTags("Users");

        group.MapGet("/", ListUnconfirmedWithdrawals).RequireAuthorization(AuthorizationPolicies.Support)
            .WithName("ListUnconfirmedWithdrawalNotices")
            .WithSummary("With unconfirmedRecipients=true (required): consents withdrawn directly with a party that has not confirmed 15 days after notice, or whose notice failed for good, as {receipt, recipients}, a page at a time (limit, cursor); support's to chase, as GET /v1/requests?unconfirmedRecipients=true lists requests; each receipt listed is on its user's access log (P1.10, P3.1, P1.7).");

        // P4.4 (*reviewer*): each reads its rows from the database before the caller's access is known; heavy reads, so a loop
        // on made-up or others' receipt ids is not a query at the caller's whole rate.
        group.MapGet("/{receiptId:id}", GetReceipt).RequireAuthorization(AuthorizationPolicies.UserOrSupport).AuditsSubjectOf("receiptId").RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetConsentRecord").WithSummary("One consent receipt, after the Kantara Consent Receipt. Spends the caller's heavy reads (429 past them).");
        group.MapGet("/{receiptId:id}/recipients", GetRecipients).RequireAuthorization(AuthorizationPolicies.UserOrSupport).AuditsSubjectOf("receiptId").RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetConsentRecordRecipients")
            .WithSummary("For a withdrawal: each party told of it (those that received data under that consent), and how the notice went: pending, retrying, failed, notified or confirmed, with its attempts.");
        group.MapPost("/{receiptId:id}/recipients/{merchantId:id}/confirmation", ConfirmAsRecipient).ForCaller(CallerScope.TheMerchantKey)
            .WithName("ConfirmConsentRecordAsRecipient")
            .WithSummary("A merchant told of the withdrawal (consent.withdrawn with this receiptId) confirms it stopped; that merchant's key only.");
        group.MapPost($"/{{receiptId:id}}/recipients/{{recipient:{PartyRouteConstraint.ConstraintName}}}/redelivery", Redeliver)
            .RequireAuthorization(AuthorizationPolicies.Support).ProducesProblems(StatusCodes.Status409Conflict).AuditsSubjectOf("receiptId")
            .WithName("RedeliverConsentRecordNotice")
            .WithSummary("Support sends a party told of the withdrawal its consent.withdrawn again once its retries ran out: the same event, signed afresh, due now with a fresh set of retries; 409 unless that party is failed; audited with the receipt's user as its subject before it is sent (P1.7).");

        return group;
    }

    private static async Task<Results<Ok<ItemPage<RequestRecipient>>, NotFound>> GetRecipients(
        string receiptId, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        if (await VisibleReceipt(receiptId, caller, cluster, context) is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(ItemPage.Last(await cluster.GetGrain<IRequestRecipientsGrain>(0).Of(receiptId)));
    }

    // A sibling of the requests' and objections' chase lists: a withdrawal's party that took the notice and never said it
    // stopped was chased by no one (only a failed notice was listed, in the console).
    private static async Task<Results<Ok<ItemPage<WithdrawalNotice>>, ValidationProblem>> ListUnconfirmedWithdrawals(
        IClusterClient cluster, HttpContext context, bool? unconfirmedRecipients,
        [Range(1, IDataRightsRequestsGrain.MaxPageSize)] int? limit, [StringLength(64)] string? cursor)
    {
        if (unconfirmedRecipients is not true)
        {
            return ListingProblems.OnlyUnconfirmedRecipients();
        }

        // The cursor of this list is the last receipt id of the page before.
        if (cursor is not null && !EntityId.IsWellFormed(cursor, EntityId.ReceiptPrefix))
        {
            return ListingProblems.CursorNotGiven();
        }

        var page = await cluster.GetGrain<IRequestRecipientsGrain>(0).UnconfirmedWithdrawals(cursor, limit ?? 100);
        // P1.7: each user sees that support listed their withdrawal, and who was told of it.
        await SupportAudit.SubjectsListedAsync(context, "receiptId", page.Items.Select(item => (item.Receipt.UserId, item.Receipt.ReceiptId)));
        return TypedResults.Ok(new ItemPage<WithdrawalNotice>(page.Items, page.NextCursor));
    }

    private static Task<Results<Ok<RequestRecipient>, NotFound>> ConfirmAsRecipient(string receiptId, string merchantId, IClusterClient cluster) =>
        EntityId.IsWellFormed(receiptId, EntityId.ReceiptPrefix)
            ? RequestsApi.ConfirmAsRecipient(receiptId, merchantId, cluster)
            : Task.FromResult<Results<Ok<RequestRecipient>, NotFound>>(TypedResults.NotFound());

    internal static Task<Results<Ok<RequestRecipient>, NotFound>> Redeliver(string receiptId, string recipient, IClusterClient cluster, HttpContext context) =>
        RequestsApi.Redeliver(receiptId, recipient, cluster, context);

    private static async Task<Results<Ok<ConsentReceipt>, NotFound>> GetReceipt(string receiptId, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context) =>
        await VisibleReceipt(receiptId, caller, cluster, context) is { } receipt ? TypedResults.Ok(receipt) : TypedResults.NotFound();

    // P1.7: support's look-up is written with the receipt's user, read from the receipt, before anything of it is shown.
    private static async Task<ConsentReceipt?> VisibleReceipt(string receiptId, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        if (await cluster.GetGrain<IConsentRecordGrain>(receiptId).Get() is not { } receipt || !caller.CanActForUser(receipt.UserId))
        {
            return null;
        }

        await SupportAudit.SubjectFoundAsync(context, receipt.UserId);
        return receipt;
    }
}
