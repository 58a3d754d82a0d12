using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Problems;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Transfers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Business transfers to a successor merchant (P3.2): started by an operator, objected to by users.</summary>
public static class TransfersApi
{
    // Further ahead than this is a typo, not a plan.
    private static readonly TimeSpan LatestEffectiveAt = TimeSpan.FromDays(3650);

    public static IEndpointRouteBuilder MapTransfersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/merchants/{merchantId:id}/transfers", Start).WithTags("Transfers")
            .RequireAuthorization(AuthorizationPolicies.Operator).WithName("TransferMerchant")
            .WithSummary("Transfer a merchant's business to a successor at least 30 days ahead: every affected user is told the successor's name and the date (P3.2).")
            .WithDescription("`usersNotified` counts the users told before the answer: a merchant with more customers than one batch (200) has the rest told a batch a second after, each handed over no earlier than 30 days after they were told (one told late keeps their own 30 days); GET /v1/transfers/{transferId} follows them. A business has one open transfer at a time, and is not passed on while another still comes into it, nor taken in while its own is being passed on (409 transfer-exists until that transfer completes); a closing merchant's is not transferred (409 merchant-terminating).");
        routes.MapGet("/v1/transfers/{transferId:id}", Get).WithTags("Transfers")
            .RequireAuthorization(AuthorizationPolicies.Operator).WithName("GetTransfer")
            .WithSummary("Read a transfer (operators): its merchants, date and status, usersNotified (the users told so far) and noticesComplete (every customer told; each is handed over 30 days after they were told at the earliest), P3.2.");
        // P4.4 (*reviewer*): every objection takes a turn on the transfer's one grain; a user's loop of them held up other
        // customers' objections near the date.
        routes.MapPost("/v1/transfers/{transferId:id}/objections", Object).WithTags("Transfers")
            .RequireAuthorization(AuthorizationPolicies.User).RequireRateLimiting(RateLimits.SharedGrainWritesPolicy).WithName("ObjectToTransfer")
            .WithSummary("The signed-in user objects before their date: their data is left out of the hand-over and anonymized at the merchant instead (P3.2).")
            .WithDescription("A user's date is the transfer's, or 30 days after they were told when they were told late (the notice names it): they are handed over no earlier, and 409 transfer-effective after it. An objection is final: the user's orders at the merchant are anonymized (a paid order to be delivered given back first) and their member card settled (owed back) instead of moving. It needs a session signed in within MEILING_RECENT_SIGN_IN_MINUTES (403 recent-sign-in-required otherwise, nothing recorded), as closing the account does (P4.4). Each caller's objections share a small bucket (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND a second, apart from their reads): past it 429 with Retry-After, as every customer's objection takes a turn on the one transfer.");
        routes.MapGet("/v1/transfers/{transferId:id}/objections/{userId:id}/recipients", GetObjectionRecipients).WithTags("Transfers")
            .ForCaller(CallerScope.TheUserOrSupport).WithName("GetTransferObjectionRecipients")
            .WithSummary("For a user who objected: the merchant told to erase their data instead (customer.redact with this transferId, once the transfer takes effect), and how the notice went: pending, retrying, failed, notified or confirmed, with its attempts; the user or support.");
        routes.MapGet("/v1/transfers/objections", ListUnconfirmedObjections).WithTags("Transfers")
            .RequireAuthorization(AuthorizationPolicies.Support).WithName("ListUnconfirmedTransferObjections")
            .WithSummary("With unconfirmedRecipients=true (required): objections whose erasure notice to the merchant is unconfirmed 15 days after notice, or failed for good, as {transferId, userId, recipients}, a page at a time (limit, cursor); support's to chase, as GET /v1/requests?unconfirmedRecipients=true lists requests (P3.2, P8.1).");
        routes.MapPost("/v1/transfers/{transferId:id}/objections/{userId:id}/recipients/{merchantId:id}/confirmation", ConfirmObjectionAsRecipient)
            .WithTags("Transfers").ForCaller(CallerScope.TheMerchantKey).WithName("ConfirmTransferObjectionAsRecipient")
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("The merchant told of a user's objection (customer.redact with this transferId and userId) confirms it erased their data; that merchant's key only. Only a notice that reached it: once delivered, or once its endpoint answered an attempt (an error included; a handler confirms after it answers); eventId, when given, must be the notice's webhook-id; else 409 notice-not-delivered (P3.1, P3.2).");
        routes.MapPost($"/v1/transfers/{{transferId:id}}/objections/{{userId:id}}/recipients/{{recipient:{PartyRouteConstraint.ConstraintName}}}/redelivery", RedeliverObjectionNotice)
            .WithTags("Transfers").RequireAuthorization(AuthorizationPolicies.Support).ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("RedeliverTransferObjectionNotice")
            .WithSummary("Support sends a party told of a user's objection (the merchant, or a payment or delivery partner by name) its notice again once its retries ran out: the same event, signed afresh, due now with a fresh set of retries; 409 unless the recipient is failed; audited with the objector as its subject (P3.1, P3.2, P1.7).");
        return routes;
    }

    // The objection's notice is listed under a cause derived from the transfer and the user: a caller reads only the
    // user's they may act for (the scope), and a merchant confirms only its own listing (another is 404).
    private static async Task<Results<Ok<ItemPage<RequestRecipient>>, NotFound>> GetObjectionRecipients(
        string transferId, string userId, IClusterClient cluster) =>
        await cluster.GetGrain<ITransferGrain>(transferId).Get() is not null
            ? TypedResults.Ok(ItemPage.Last(await cluster.GetGrain<IRequestRecipientsGrain>(0).Of(TransferObjections.CauseId(transferId, userId))))
            : TypedResults.NotFound();

    // A sibling of the requests' chase list: its items are requests, and an objection is none.
    private static async Task<Results<Ok<ItemPage<TransferObjectionNotice>>, ValidationProblem>> ListUnconfirmedObjections(
        IClusterClient cluster, HttpContext context, bool? unconfirmedRecipients, [Range(1, IDataRightsRequestsGrain.MaxPageSize)] int? limit, [StringLength(64)] string? cursor)
    {
        if (unconfirmedRecipients is not true)
        {
            return ListingProblems.OnlyUnconfirmedRecipients();
        }

        // The cursor of this list is the last objection's cause id of the page before.
        if (cursor is not null && !EntityId.IsWellFormed(cursor, EntityId.ObjectionPrefix))
        {
            return ListingProblems.CursorNotGiven();
        }

        var page = await cluster.GetGrain<IRequestRecipientsGrain>(0).UnconfirmedObjections(cursor, limit ?? 100);
        // P1.7: each objector sees that support listed their objection, and who was told of it.
        await SupportAudit.SubjectsListedAsync(context, "transferId", page.Items.Select(item => (item.UserId, item.TransferId)));
        return TypedResults.Ok(new ItemPage<TransferObjectionNotice>(page.Items, page.NextCursor));
    }

    // A failed objection notice could be chased (the list above) but not sent again: the requests' and receipts' re-send
    // routes take their own ids only. The route names the objector, so support's audit entry names them before it runs.
    private static async Task<Results<Ok<RequestRecipient>, NotFound>> RedeliverObjectionNotice(
        string transferId, string userId, string recipient, IClusterClient cluster) =>
        await cluster.GetGrain<ITransferGrain>(transferId).Get() is not null
            && await cluster.GetGrain<IRequestRecipientsGrain>(0).Redeliver(TransferObjections.CauseId(transferId, userId), recipient) is { } redelivered
            ? TypedResults.Ok(redelivered)
            : TypedResults.NotFound();

    // P3.1, P3.2: an objection's cause id is the transfer's and the user's, both of which the merchant reads without the
    // notice: it confirmed erasures it never heard of (its endpoint removed), off support's chase list for good.
    private static async Task<Results<Ok<RequestRecipient>, NotFound>> ConfirmObjectionAsRecipient(
        string transferId, string userId, string merchantId, [StringLength(64)] string? eventId, IClusterClient cluster) =>
        await cluster.GetGrain<IRequestRecipientsGrain>(0).ConfirmReceived(TransferObjections.CauseId(transferId, userId), merchantId, eventId) is { } recipient
            ? TypedResults.Ok(recipient)
            : TypedResults.NotFound();

    private static async Task<Results<Created<TransferStarted>, ValidationProblem>> Start(
        string merchantId, TransferBody body, ClaimsPrincipal caller, IClusterClient cluster, TimeProvider clock)
    {
        if (!EntityId.IsWellFormed(body.SuccessorMerchantId, EntityId.MerchantPrefix))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["successorMerchantId"] = ["A merchant id (mer_…)."] });
        }

        if (body.EffectiveAt > clock.GetUtcNow() + LatestEffectiveAt)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["effectiveAt"] = ["At most ten years ahead."] });
        }

        var transferId = EntityId.New(EntityId.TransferPrefix);
        await TransferStartAudit.RecordAsync(cluster, caller, merchantId, transferId, body.SuccessorMerchantId, body.EffectiveAt);
        var view = await cluster.GetGrain<ITransferGrain>(transferId).Start(merchantId, body.SuccessorMerchantId, body.EffectiveAt);
        return TypedResults.Created($"/v1/transfers/{transferId}", new TransferStarted(view.TransferId, view.EffectiveAt, view.UsersNotified));
    }

    private static async Task<Results<Ok<TransferView>, NotFound>> Get(string transferId, IClusterClient cluster) =>
        await cluster.GetGrain<ITransferGrain>(transferId).Get() is { } transfer ? TypedResults.Ok(transfer) : TypedResults.NotFound();

    // Internal: the privacy center's Object form calls it too (P3.2), with the route's own bucket.
    internal static async Task<Created<TransferObjection>> Object(string transferId, ClaimsPrincipal caller, IClusterClient cluster, RecentSignIn recentSignIn)
    {
        // P3.2, P4.4: an objection is not withdrawn; at the date the user's orders at the merchant are anonymized and their
        // member card settled instead of moving, what a copy of the session must not decide for the user.
        recentSignIn.Ensure(caller, "Objecting to a transfer");
        var userId = caller.SubjectId()!;
        var transfer = await cluster.GetGrain<ITransferGrain>(transferId).Object(userId);
        // The user's own objection, not the transfer: how many customers the merchant has (usersNotified) is the operators'.
        return TypedResults.Created(
            $"/v1/transfers/{transferId}/objections/{userId}/recipients",
            new TransferObjection(transfer.TransferId, transfer.MerchantId, transfer.SuccessorMerchantId, transfer.EffectiveAt));
    }
}

/// <summary>Body of <c>POST /v1/merchants/{merchantId}/transfers</c>.</summary>
public sealed record TransferBody(
    [property: Required, StringLength(64)] string SuccessorMerchantId,
    [property: Required] DateTimeOffset EffectiveAt);

/// <summary>A transfer just started: its id, its date, and how many users were told.</summary>
public sealed record TransferStarted(string TransferId, DateTimeOffset EffectiveAt, int UsersNotified);

/// <summary>Answer to <c>POST /v1/transfers/{transferId}/objections</c>: the transfer the user objected to, and nothing of the merchant's customers.</summary>
public sealed record TransferObjection(string TransferId, string MerchantId, string SuccessorMerchantId, DateTimeOffset EffectiveAt);
