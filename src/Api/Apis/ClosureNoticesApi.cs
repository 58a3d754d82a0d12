using System.ComponentModel.DataAnnotations;
using MeiLing.Api.Audit;
using MeiLing.Api.Problems;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Merchants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>
/// The notices a closing merchant's erasure sends the payment and delivery partners of each order it erases (P3.1, P4.3):
/// the user reads them, support chases and re-sends them as it does a request's. Before, a failed one showed only in the
/// user's export: no list named it and nothing could send it again.
/// </summary>
public static class ClosureNoticesApi
{
    public static IEndpointRouteBuilder MapClosureNoticesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/closure-notices", ListUnconfirmed).WithTags("Merchants")
            .RequireAuthorization(AuthorizationPolicies.Support).WithName("ListUnconfirmedClosureNotices")
            .WithSummary("With unconfirmedRecipients=true (required): orders a closing merchant erased whose notice to a payment or delivery partner is unconfirmed 15 days after notice, or failed for good, as {orderId, userId, recipients}, a page at a time (limit 1-500, default 100; cursor); support's to chase, as GET /v1/requests?unconfirmedRecipients=true lists requests (P3.1, P4.3, P8.1).")
            .WithDescription("Each user listed sees in their access log that support listed their order (P1.7).")
            .ProducesProblems(400);
        routes.MapGet("/v1/users/{userId:id}/closure-notices", ListOfUser).WithTags("Users")
            .ForCaller(CallerScope.TheUserOrSupport.ThatExists()).RequireRateLimiting(RateLimits.HeavyReadsPolicy).WithName("ListClosureNotices")
            .WithSummary("The user's orders a closing merchant erased, each with the partners told to erase their copies and how each notice went (pending, retrying, failed, notified or confirmed, with its attempts), by order, a page at a time (limit 1-100, cursor); the user or support (P3.1, P4.3).")
            .ProducesProblems(400);
        routes.MapPost($"/v1/users/{{userId:id}}/closure-notices/{{orderId:id}}/recipients/{{recipient:{PartyRouteConstraint.ConstraintName}}}/redelivery", Redeliver)
            .WithTags("Users").RequireAuthorization(AuthorizationPolicies.Support).WithName("RedeliverClosureNotice")
            .WithSummary("Support sends a partner its closure notice of the user's order again once its retries ran out: the same event, signed afresh, due now with a fresh set of retries; 409 unless the partner is failed; audited with the user as its subject (P3.1, P1.7). An order not the user's, or a partner not told of it, is 404.")
            .ProducesProblems(404, 409);
        return routes;
    }

    private static async Task<Results<Ok<ItemPage<ClosureNotice>>, ValidationProblem>> ListUnconfirmed(
        IClusterClient cluster, HttpContext context, bool? unconfirmedRecipients, [Range(1, IDataRightsRequestsGrain.MaxPageSize)] int? limit, [StringLength(64)] string? cursor)
    {
        if (unconfirmedRecipients is not true)
        {
            return ListingProblems.OnlyUnconfirmedRecipients();
        }

        if (cursor is not null && !MerchantClosures.IsCauseId(cursor))
        {
            return ListingProblems.CursorNotGiven();
        }

        var page = await cluster.GetGrain<IRequestRecipientsGrain>(0).UnconfirmedClosures(cursor, limit ?? 100);
        // P1.7: each user sees that support listed their erased order, and who was told of it.
        await SupportAudit.SubjectsListedAsync(context, "orderId", page.Items.Select(item => (item.UserId, item.OrderId)));
        return TypedResults.Ok(new ItemPage<ClosureNotice>(page.Items, page.NextCursor));
    }

    private static async Task<Results<Ok<ItemPage<ClosureNotice>>, ValidationProblem>> ListOfUser(
        string userId, IClusterClient cluster, [Range(1, IDataRightsRequestsGrain.MaxUserPageSize)] int? limit, [StringLength(64)] string? cursor)
    {
        if (cursor is not null && !MerchantClosures.IsCauseId(cursor))
        {
            return ListingProblems.CursorNotGiven();
        }

        var page = await cluster.GetGrain<IRequestRecipientsGrain>(0).ClosuresOf(userId, cursor, limit ?? IDataRightsRequestsGrain.MaxUserPageSize);
        return TypedResults.Ok(new ItemPage<ClosureNotice>(page.Items, page.NextCursor));
    }

    private static async Task<Results<Ok<RequestRecipient>, NotFound>> Redeliver(string userId, string orderId, string recipient, IClusterClient cluster) =>
        await cluster.GetGrain<IRequestRecipientsGrain>(0).RedeliverClosure(userId, orderId, recipient) is { } redelivered
            ? TypedResults.Ok(redelivered)
            : TypedResults.NotFound();
}
