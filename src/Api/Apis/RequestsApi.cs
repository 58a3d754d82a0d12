using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Problems;
using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MeiLing.Api.Apis;

/// <summary>Data-rights requests (P8.1): filed by the user or by support, answered within 15 days by the user's grains.</summary>
public static class RequestsApi
{
    public static IEndpointRouteBuilder MapRequestsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/users/{userId:id}/requests", File).ForCaller(CallerScope.TheUserOrSupport)
            .WithTags("Data-rights requests").WithName("FileRequest")
            .WithSummary("File an access, correction, deletion, withdrawal or cancellation request; due 15 days after it is received. Filed by support, all but an access request await the user's confirmation (P1.7); support has 10 filings a day per user, apart from the user's own 10, and each support agent 100 a day in all (MEILING_SUPPORT_FILINGS_PER_DAY), then 429 quota-exceeded with Retry-After (P4.4).")
            .WithDescription("A request of the same type still open is 409 duplicate-request naming it, but for one case (P8.1): the user's own filing sets aside a support filing of its type still awaiting confirmation, which is cancelled in the user's name, and is filed. A correction's details.delivery names any of recipientName, gender (female, male, unspecified), phone, address and doorNumber; it readdresses the user's orders still on their way that the user paid for in their own session, and those named in details.delivery.orderIds (up to 50; an order paid at a till or not yet paid is readdressed only when named, as a merchant may place orders in a user's name, P1.5). A deletion of addresses, avatar or birthDate also drops them from the details of the user's closed requests.");
        routes.MapGet("/v1/users/{userId:id}/requests", OfUser).ForCaller(CallerScope.TheUserOrSupport).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithTags("Data-rights requests").WithName("ListUserRequests").WithSummary("The user's requests, oldest first, a page at a time (limit 1-100, default 100; cursor).");

        var requests = routes.MapGroup("/v1/requests").WithTags("Data-rights requests");
        requests.MapGet("/", ListOpen).RequireAuthorization(AuthorizationPolicies.Support)
            .WithName("ListOpenRequests").WithSummary("Open requests, soonest due first, a page at a time (limit, cursor); overdue=true for those past their due date; unconfirmedRecipients=true instead for requests with a recipient that has not confirmed 15 days after notice, or whose notice to a recipient failed for good.");
        // P4.4 (*reviewer*): each read queries the request's recipients; a heavy read, not one at the caller's whole rate.
        requests.MapGet("/{requestId:id}", Get).RequireAuthorization(AuthorizationPolicies.UserOrStaff).AuditsSubjectOf("requestId").RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetRequest").WithSummary("Spends the caller's heavy reads (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND; 429 past them). A request with its status and progress, and each recipient told of it: pending, retrying, failed, notified or confirmed, with its attempts, or not-told when its endpoint takes no event of the kind, so nothing is awaited from it, or closed when the merchant closed before it confirmed or before the request reached it. Support and operators, who may approve or reject it, read it masked, with the filing awaiting approval, audited with the request's user as its subject (P1.7).");
        // P4.4 (*reviewer*): like the request's read, each try reads the request and its recipients before any quota or
        // sign-in check refuses it, so a refused download cost a query at the caller's whole rate.
        requests.MapGet("/{requestId:id}/export", Export).RequireAuthorization(AuthorizationPolicies.User).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("GetExport").WithSummary("Spends the caller's heavy reads (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND; 429 past them). Everything held about the user, for a completed access request: JSON, or ?format=html for a readable page (any other format is 400). Its last section, accessLog, is who at the platform looked at or acted on the user's data (P1.7): the newest 1,000 entries as GET /v1/users/{userId}/access-log shows them (entries), what is kept (kept) and whether that is all (complete). The user's alone: support sees the request's status, never the bundle; with a session signed in within MEILING_RECENT_SIGN_IN_MINUTES (else 403 recent-sign-in-required: sign in again). At most 10 downloads an hour (each gathers everything anew), then 429 quota-exceeded. Sent as it is gathered, a part at a time (chunked, no Content-Length): should gathering fail after the 200 is sent (or the client stop reading for about half a minute), the connection is aborted, so the body ends early (unterminated JSON, an unfinished page) and the client must treat it as failed and download again.");

        // P1.7: support's actions on a request are audited with the request's user as their subject, before they act.
        requests.MapPost("/{requestId:id}/confirmation", Confirm).RequireAuthorization(AuthorizationPolicies.UserOrSupport).AuditsSubjectOf("requestId")
            .WithName("ConfirmRequest").WithSummary("The user confirms a request support filed for them (empty body; a cancellation, deletion or correction with changesDelivery needs a recent sign-in, P4.4), or support does with {verificationCode}, the code the user received (confirm-request; an agent presents at most 20 wrong codes a day across requests, MEILING_RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY, then 429 too-many-wrong-codes, the code unexamined), except for a correction with changesDelivery: that one only the user confirms (403 user-confirmation-required, P1.5); until then it is awaiting-confirmation and changes nothing. A support filing the user's own filing of its type took the place of is cancelled instead: 409 request-superseded (P8.1); one past its window (MEILING_CONFIRMATION_DAYS, 7) is cancelled too: 409 request-expired.");
        requests.MapPost("/{requestId:id}/approval", Approve).RequireAuthorization(AuthorizationPolicies.Staff).AuditsSubjectOf("requestId")
            .WithName("ApproveRequest").WithSummary("A second support or operator key approves a request awaiting confirmation, with its reason; the filer's own key gets 403 own-request, and a key above or below the filing agent's in the enrolment chain 403 enrolled-the-filer, an agent enrolled under the same staff key as the filer 403 enrolled-by-the-same-key (P1.7); a correction with changesDelivery gets 403 user-confirmation-required, as only the user confirms it (P1.5); a support filing the user's own filing of its type took the place of, 409 request-superseded (P8.1); one past its confirmation window, 409 request-expired, and it is cancelled.");
        requests.MapPost("/{requestId:id}/cancellation", Cancel).RequireAuthorization(AuthorizationPolicies.UserOrSupport).AuditsSubjectOf("requestId")
            .WithName("CancelRequest").WithSummary("The user, or the agent who filed it, cancels a request before its first step; 409 afterwards.");
        requests.MapPost("/{requestId:id}/recipients/{merchantId:id}/confirmation", ConfirmAsRecipient).ForCaller(CallerScope.TheMerchantKey)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("ConfirmRequestAsRecipient").WithSummary("A merchant the request reached confirms it acted on it (erased, exported, corrected); that merchant's key only. Once a later notice of the request (an owed address erased since) took the place of the first on its listing, only once that notice reached it (delivered, or answered by its endpoint); else 409 notice-not-delivered (P3.1, P8.1).");
        requests.MapPost($"/{{requestId:id}}/recipients/{{recipient:{PartyRouteConstraint.ConstraintName}}}/redelivery", Redeliver)
            .RequireAuthorization(AuthorizationPolicies.Support).ProducesProblems(StatusCodes.Status409Conflict).AuditsSubjectOf("requestId")
            .WithName("RedeliverRequestNotice")
            .WithSummary("Support sends a recipient (a merchant id or a partner's name) its notice of the request again once its retries ran out: the same event, signed afresh, due now with a fresh set of retries; 409 unless the recipient is failed; audited.");
        requests.MapPost("/{requestId:id}/rejection", Reject).RequireAuthorization(AuthorizationPolicies.Staff).AuditsSubjectOf("requestId")
            .WithName("RejectRequest").WithSummary("Support or an operator refuses a request before its first step, with a reason the user sees.");
        return routes;
    }

    internal static async Task<Results<Accepted<DataRightsRequestView>, ValidationProblem>> File(
        string userId, FileRequestBody request, ClaimsPrincipal caller, IClusterClient cluster, RecentSignIn recentSignIn)
    {
        var isSupport = caller.IsInRole(Roles.Support);
        if (!isSupport && ActionNeedingRecentSignIn(request.Type, changesDelivery: request.Details?.Delivery is not null) is { } action)
        {
            recentSignIn.Ensure(caller, action);
        }

        var errors = new Dictionary<string, string[]>();
        if (isSupport && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["Support must say why the request is filed (P1.7)."];
        }

        if (isSupport && string.IsNullOrWhiteSpace(request.Verification))
        {
            errors["verification"] = ["Support must say how the user's identity was verified (P1.7)."];
        }

        if (isSupport && request.Details?.Delivery?.OrderIds is { Count: > 0 })
        {
            // P1.5 (*reviewer*): the user confirms the corrected fields they are shown, not which orders an agent named: an
            // agent working with a merchant named the orders it placed in the user's name, and their confirmation readdressed
            // them. Only the user names orders to readdress.
            errors["details.delivery.orderIds"] = ["Only the user names orders to readdress; support files the corrected fields alone."];
        }

        var details = ReadDetails(request.Type, request.Details, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var view = await cluster.GetGrain<IUserDataRights>(userId).FileRequest(new FileDataRightsRequest(
            request.Type, details, isSupport ? Roles.Support : Roles.User, caller.SubjectId()!, request.Reason?.Trim(), request.Verification?.Trim()));
        return TypedResults.Accepted($"/v1/requests/{view.RequestId}", view);
    }

    /// <summary>
    /// A page of the user's requests, oldest first. A user files 10 a day and support 10 more, kept for good: one
    /// answer holding them all would grow without end, each one a grain woken (P4.4).
    /// </summary>
    internal static async Task<Results<Ok<ItemPage<DataRightsRequestView>>, ValidationProblem>> OfUser(
        string userId, ClaimsPrincipal caller, IClusterClient cluster, [Range(1, IDataRightsRequestsGrain.MaxUserPageSize)] int? limit, [StringLength(10)] string? cursor)
    {
        if (!SkipCursor.TryRead(cursor, out var skip))
        {
            return SkipCursor.Invalid();
        }

        var take = limit ?? IDataRightsRequestsGrain.MaxUserPageSize;
        var window = await cluster.GetGrain<IDataRightsRequestsGrain>(0).OfUser(userId, skip, take, newestFirst: false);
        return TypedResults.Ok(new ItemPage<DataRightsRequestView>([.. window.Take(take).Select(view => AsSeenBy(caller, view))], SkipCursor.Next(skip, take, window.Count > take)));
    }

    internal static async Task<Results<Ok<ItemPage<DataRightsRequestView>>, ValidationProblem>> ListOpen(
        IClusterClient cluster, HttpContext context, string? status, bool? overdue, bool? unconfirmedRecipients,
        [Range(1, IDataRightsRequestsGrain.MaxPageSize)] int? limit, [StringLength(256)] string? cursor)
    {
        var page = await ListOpenAsync(cluster, status, overdue, unconfirmedRecipients, limit, cursor);
        if (page.Result is Ok<ItemPage<DataRightsRequestView>> { Value: { } listed })
        {
            // P1.7: each request's user sees that support listed it, recipients and all.
            await SupportAudit.SubjectsListedAsync(context, "requestId", listed.Items.Select(view => (view.UserId, view.RequestId)));
        }

        return page;
    }

    private static async Task<Results<Ok<ItemPage<DataRightsRequestView>>, ValidationProblem>> ListOpenAsync(
        IClusterClient cluster, string? status, bool? overdue, bool? unconfirmedRecipients, int? limit, string? cursor)
    {
        if (unconfirmedRecipients is true)
        {
            // The cursor of this list is the last request id of the page before.
            if (cursor is not null && !Grains.Platform.EntityId.IsWellFormed(cursor, Grains.Platform.EntityId.RequestPrefix))
            {
                return ListingProblems.CursorNotGiven();
            }

            var unconfirmed = await cluster.GetGrain<IRequestRecipientsGrain>(0).Unconfirmed(cursor, limit ?? 100);
            return TypedResults.Ok(new ItemPage<DataRightsRequestView>(unconfirmed.Items, unconfirmed.NextCursor));
        }

        if (status is not (null or "open"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Only status=open is listed."] });
        }

        var page = await cluster.GetGrain<IDataRightsRequestsGrain>(0).ListOpen(overdue ?? false, cursor, limit ?? 100);
        return TypedResults.Ok(new ItemPage<DataRightsRequestView>(page.Items, page.NextCursor));
    }

    internal static async Task<Results<Ok<DataRightsRequestView>, NotFound>> Get(string requestId, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        if (await VisibleRequest(requestId, caller, cluster) is not { } view)
        {
            return TypedResults.NotFound();
        }

        // P1.7: support's and an operator's look-up is written with the request's user, read from the request, before it is shown.
        await SupportAudit.SubjectFoundAsync(context, view.UserId);
        await OperatorAudit.SubjectReadAsync(context, view.UserId, "requestId", requestId);
        return TypedResults.Ok(await WithFilingToApproveAsync(await WithProposedChangesAsync(view, caller, cluster), caller, cluster));
    }

    /// <summary>
    /// P1.7: support and operators read what an agent's filing awaiting approval would do, and the filer's reason and
    /// verification, so the second key does not approve blind. Masked as support reads a user's free text.
    /// </summary>
    internal static async Task<DataRightsRequestView> WithFilingToApproveAsync(DataRightsRequestView view, ClaimsPrincipal caller, IClusterClient cluster) =>
        view.Status == DataRightsRequestStatus.AwaitingConfirmation && (caller.IsInRole(Roles.Support) || caller.IsInRole(Roles.Operator))
            && await cluster.GetGrain<IDataRightsRequestGrain>(view.RequestId).FilingToApprove() is { } filing
            ? view with { Filing = filing.MaskedForSupport() }
            : view;

    /// <summary>
    /// P1.5, P1.7: a request awaiting its user's confirmation shows that user what it would change; confirmed blind, a
    /// correction support filed with a delivery of an agent's choosing readdressed the user's paid orders.
    /// </summary>
    internal static async Task<DataRightsRequestView> WithProposedChangesAsync(DataRightsRequestView view, ClaimsPrincipal caller, IClusterClient cluster) =>
        view.Status == DataRightsRequestStatus.AwaitingConfirmation && caller.IsUser(view.UserId)
            ? view with { Proposed = await cluster.GetGrain<IDataRightsRequestGrain>(view.RequestId).ProposedChanges(view.UserId) }
            : view;

    private static async Task<IResult> Export(string requestId, ClaimsPrincipal caller, IClusterClient cluster, RecentSignIn recentSignIn, string? format)
    {
        // A format the caller cannot have asked for by mistake and still get JSON back.
        if (format is not (null or "json" or "html"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Formats: json (the default), html."] });
        }

        if (await VisibleRequest(requestId, caller, cluster) is not { Type: DataRightsRequestType.Access } request
            || await cluster.GetGrain<IUserProfile>(request.UserId).GetProfile() is null)
        {
            return TypedResults.NotFound();
        }

        if (request.Status != DataRightsRequestStatus.Completed)
        {
            throw DomainException.Conflict("request-not-completed", "The export is ready once the access request is completed.");
        }

        // P4.4, A.2 (*reviewer*): everything held about the user, the location track and addresses included, went to any
        // session through an access request completed long before: a copy of the token was a copy of the bundle, silently.
        recentSignIn.Ensure(caller, "Downloading your data export");
        await cluster.GetGrain<IUserDataRights>(request.UserId).TakeExportDownload();
        // P4.4: sent as the silo produces it, a part at a time; neither the silo nor the API holds the whole bundle.
        return new ExportDownload(cluster.GetGrain<IAccessExportGrain>(request.UserId).Parts(), asPage: format == "html");
    }

    internal static async Task<Results<Ok<DataRightsRequestView>, ValidationProblem>> Confirm(
        string requestId, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ConfirmationBody? body, ClaimsPrincipal caller, IClusterClient cluster,
        RecentSignIn recentSignIn, HttpContext context)
    {
        await SupportAudit.SubjectOfAsync(context, requestId);
        var request = cluster.GetGrain<IDataRightsRequestGrain>(requestId);
        if (!caller.IsInRole(Roles.Support))
        {
            // P4.4: the user's confirmation of a request support filed is the same word as filing it, so it needs what filing
            // it would: a cancellation, a deletion or a correction of the orders' delivery waits for a recent sign-in.
            if (await request.Get() is { Status: DataRightsRequestStatus.AwaitingConfirmation } awaiting
                && caller.IsUser(awaiting.UserId)
                && ActionNeedingRecentSignIn(awaiting.Type, awaiting.ChangesDelivery) is { } action)
            {
                recentSignIn.Ensure(caller, $"Confirming {char.ToLowerInvariant(action[0])}{action[1..]}");
            }

            return TypedResults.Ok(await request.Confirm(caller.AsRequestActor()));
        }

        // Support has no say of its own here: it carries the user's word, the code texted to the user's phone.
        if (string.IsNullOrWhiteSpace(body?.VerificationCode))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["verificationCode"] = ["Support confirms with the code the user received (purpose confirm-request)."],
            });
        }

        // P4.4 (*reviewer*): an agent's wrong codes are counted a day across requests: each request's code takes five guesses,
        // and an agent filing, guessing and cancelling again had some 500 a day at erasing an account alone. The console's
        // form comes through here too.
        var allowances = context.RequestServices.GetRequiredService<NetworkAllowances>();
        return TypedResults.Ok(await WrongCodeFilter.WithinAsync(
            allowances.ReserveCallersWrongCode(caller.SubjectId()!), () => request.ConfirmWithCode(caller.AsRequestActor(), body.VerificationCode.Trim())));
    }

    internal static async Task<Ok<DataRightsRequestView>> Approve(string requestId, ReasonBody body, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        await SupportAudit.SubjectOfAsync(context, requestId);
        return TypedResults.Ok(await cluster.GetGrain<IDataRightsRequestGrain>(requestId).Approve(caller.AsRequestActor(), body.Reason.Trim()));
    }

    internal static async Task<Ok<DataRightsRequestView>> Cancel(string requestId, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        await SupportAudit.SubjectOfAsync(context, requestId);
        return TypedResults.Ok(await cluster.GetGrain<IDataRightsRequestGrain>(requestId).Cancel(caller.AsRequestActor()));
    }

    // The route's scope admits only the merchant named: another merchant's confirmation is, to it, no request at all.
    // The same answer for a consent withdrawn directly, whose parties are listed under its receipt id.
    internal static async Task<Results<Ok<RequestRecipient>, NotFound>> ConfirmAsRecipient(
        string requestId, string merchantId, IClusterClient cluster) =>
        await cluster.GetGrain<IRequestRecipientsGrain>(0).Confirm(requestId, merchantId) is { } recipient
            ? TypedResults.Ok(recipient)
            : TypedResults.NotFound();

    // Support's hand on a notice whose retries ran out (P1.7: audited with the recipient named and the cause's user, before it is sent).
    // The same answer for a consent withdrawn directly, whose parties are listed under its receipt id.
    // The route's id constraint takes a request's id only (a receipt's on the receipt's route): a transfer objection's id,
    // whose notices are listed the same way, names no user the audit could find, and is 404 before this runs (P1.7).
    internal static async Task<Results<Ok<RequestRecipient>, NotFound>> Redeliver(string requestId, string recipient, IClusterClient cluster, HttpContext context)
    {
        await SupportAudit.SubjectOfAsync(context, requestId);
        return await cluster.GetGrain<IRequestRecipientsGrain>(0).Redeliver(requestId, recipient) is { } redelivered
            ? TypedResults.Ok(redelivered)
            : TypedResults.NotFound();
    }

    internal static async Task<Ok<DataRightsRequestView>> Reject(string requestId, ReasonBody body, ClaimsPrincipal caller, IClusterClient cluster, HttpContext context)
    {
        await SupportAudit.SubjectOfAsync(context, requestId);
        return TypedResults.Ok(await cluster.GetGrain<IDataRightsRequestGrain>(requestId).Reject(caller.AsRequestActor(), body.Reason.Trim()));
    }

    // An operator may approve or reject any request, so reads any (masked); the export stays the user's alone (its route's policy).
    private static async Task<DataRightsRequestView?> VisibleRequest(string requestId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var view = await cluster.GetGrain<IDataRightsRequestGrain>(requestId).Get();
        return view is not null && (caller.CanActForUser(view.UserId) || caller.IsInRole(Roles.Operator)) ? AsSeenBy(caller, view) : null;
    }

    /// <summary>The user reads their request whole; support, with mobile numbers in a rejection's reason masked (P1.7).</summary>
    internal static DataRightsRequestView AsSeenBy(ClaimsPrincipal caller, DataRightsRequestView view) =>
        caller.IsUser(view.UserId) ? view : view.MaskedForSupport();

    private static RequestDetails ReadDetails(DataRightsRequestType type, RequestDetailsBody? body, Dictionary<string, string[]> errors)
    {
        switch (type)
        {
            case DataRightsRequestType.Correction:
                var correction = body is { Nickname: not null } or { AvatarUrl: not null } or { BirthDate: not null }
                    ? new ProfileCorrection(body.Nickname?.Trim(), body.AvatarUrl, body.BirthDate)
                    : null;
                var delivery = body?.Delivery is { } d
                    ? new DeliveryCorrection(d.RecipientName?.Trim(), d.Phone, d.Address?.Trim(), d.DoorNumber?.Trim(), d.Gender, d.OrderIds?.Distinct(StringComparer.Ordinal).ToList())
                    : null;
                if (delivery is { IsEmpty: true })
                {
                    errors["details.delivery"] = ["A delivery correction names the corrected fields: recipientName, gender, phone, address or doorNumber."];
                }
                else if (delivery?.OrderIds?.Any(id => !EntityId.IsWellFormed(id, EntityId.OrderPrefix)) == true)
                {
                    errors["details.delivery.orderIds"] = ["Order ids as the platform issues them (ord_…)."];
                }
                else if (correction is null && delivery is null)
                {
                    errors["details"] = ["A correction names the corrected fields: nickname, avatarUrl, birthDate or delivery."];
                }

                return new RequestDetails(correction, delivery, [], []);
            case DataRightsRequestType.Deletion:
                var categories = new List<ErasableCategory>();
                foreach (var name in body?.Categories ?? [])
                {
                    if (Enum.GetValues<ErasableCategory>().FirstOrDefault(c => Kebab(c) == name) is var category && Kebab(category) == name)
                    {
                        categories.Add(category);
                    }
                    else
                    {
                        errors["details.categories"] = [$"Categories: {string.Join(", ", Enum.GetValues<ErasableCategory>().Select(Kebab))}."];
                    }
                }

                if (categories.Count == 0 && !errors.ContainsKey("details.categories"))
                {
                    errors["details.categories"] = ["A deletion names at least one category."];
                }

                return new RequestDetails(null, null, [.. categories.Distinct()], []);
            case DataRightsRequestType.Withdrawal:
                var purposes = new List<ConsentPurpose>();
                foreach (var name in body?.Purposes ?? [])
                {
                    if (ConsentPurposes.TryParse(name, out var purpose))
                    {
                        purposes.Add(purpose);
                    }
                    else
                    {
                        errors["details.purposes"] = [$"Purposes: {string.Join(", ", Enum.GetValues<ConsentPurpose>().Select(ConsentPurposes.Name))}."];
                    }
                }

                if (purposes.Count == 0 && !errors.ContainsKey("details.purposes"))
                {
                    errors["details.purposes"] = ["A withdrawal names at least one purpose."];
                }

                return new RequestDetails(null, null, [], [.. purposes.Distinct()]);
            default:
                return RequestDetails.None;
        }
    }

    /// <summary>The requests a user's session files or confirms only shortly after a sign-in: what they erase cannot be had back.</summary>
    /// <summary>
    /// What a request does that a session alone must not ask for, named for the answer, or null when the session may
    /// (P4.4): a copied token or a phone left signed in neither closes the account nor erases data, nor (P1.5) sends the
    /// goods of every order not yet fulfilled, paid ones included, to another address.
    /// </summary>
    private static string? ActionNeedingRecentSignIn(DataRightsRequestType type, bool changesDelivery) => type switch
    {
        DataRightsRequestType.Cancellation or DataRightsRequestType.Deletion => $"A {Kebab(type)} request",
        DataRightsRequestType.Correction when changesDelivery => "A correction of your orders' delivery",
        _ => null,
    };

    private static string Kebab(DataRightsRequestType type) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString());

    private static string Kebab(ErasableCategory category) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(category.ToString());
}

/// <summary>Body of <c>POST /v1/users/{userId}/requests</c>.</summary>
public sealed record FileRequestBody(
    DataRightsRequestType Type,
    RequestDetailsBody? Details = null,
    [property: StringLength(1000), PlainText(Multiline = true)] string? Reason = null,
    [property: StringLength(1000), PlainText(Multiline = true)] string? Verification = null);

/// <summary>Body of a confirmation: empty from the user; from support, the code the user received.</summary>
public sealed record ConfirmationBody([property: StringLength(16)] string? VerificationCode = null);

/// <summary>Body of an approval or a rejection: why, in the agent's words (audited; a rejection's reason is shown to the user).</summary>
public sealed record ReasonBody([property: Required, StringLength(1000, MinimumLength = 1), NotBlank, PlainText(Multiline = true)] string Reason);

/// <summary>What a request asks for: corrected fields, categories to erase, or purposes to withdraw.</summary>
public sealed record RequestDetailsBody(
    [property: StringLength(32, MinimumLength = 1), NotBlank, PlainText] string? Nickname = null,
    [property: HttpUrl, StringLength(512)] string? AvatarUrl = null,
    [property: PastDate] DateOnly? BirthDate = null,
    DeliveryCorrectionBody? Delivery = null,
    [property: MaxLength(20), NoNullItems] IReadOnlyList<string>? Categories = null,
    [property: MaxLength(20), NoNullItems] IReadOnlyList<string>? Purposes = null);

/// <summary>
/// Corrected delivery fields; <c>orderIds</c> names orders still to be delivered that the user paid at a till or has not
/// paid yet, to readdress with the ones the user paid for in the app (P1.5).
/// </summary>
public sealed record DeliveryCorrectionBody(
    [property: StringLength(64, MinimumLength = 1), PlainText] string? RecipientName = null,
    [property: MainlandMobile, StringLength(32)] string? Phone = null,
    [property: StringLength(256, MinimumLength = 1), PlainText] string? Address = null,
    [property: StringLength(64, MinimumLength = 1), PlainText] string? DoorNumber = null,
    Grains.Orders.FormOfAddress? Gender = null,
    [property: MaxLength(DeliveryCorrection.MaxOrderIds), NoNullItems] IReadOnlyList<string>? OrderIds = null);
