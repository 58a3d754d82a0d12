using System.ComponentModel.DataAnnotations;
using MeiLing.Api.Audit;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.DataRights;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>
/// A cancellation followed after the account is gone (P8.1): its sessions no longer work, yet the user still wants to
/// know the request finished and which recipients of their data confirmed erasing it. The follow-up code, given in the
/// filing's answer and texted when the cancellation starts, is the only key.
/// </summary>
public static class RequestFollowUpApi
{
    public static IEndpointRouteBuilder MapRequestFollowUpApi(this IEndpointRouteBuilder routes)
    {
        // A support agent the user read the code to is audited with the request's user, as for any read by id (P1.7).
        // The app that filed the cancellation may still send the token whose session ended with the account: the code
        // answers, not the token.
        routes.MapPost("/v1/requests/{requestId:id}/follow-up", FollowUp).AllowAnonymous().IgnoringUserSession().RequireRateLimiting(RateLimits.CredentialsPolicy)
            .AuditsSubjectOf("requestId")
            .WithTags("Data-rights requests").WithName("FollowUpRequest")
            .WithSummary("A cancellation followed with its follow-up code {code}, with or without a session (the account may be gone): its status, receipt and recipients, each pending, notified or confirmed. A wrong code, or a request without one, is 404, as is no such request; limited per address like sign-ins (P8.1, P4.4).");
        return routes;
    }

    private static async Task<Results<Ok<RequestFollowUp>, NotFound>> FollowUp(string requestId, FollowUpBody body, IClusterClient cluster, HttpContext context)
    {
        if (await cluster.GetGrain<IDataRightsRequestGrain>(requestId).FollowUp(body.Code) is not { } view)
        {
            return TypedResults.NotFound();
        }

        // P1.7: an agent's read is written with the request's user before it is shown.
        await SupportAudit.SubjectFoundAsync(context, view.UserId);
        return TypedResults.Ok(RequestFollowUp.Of(view));
    }
}

/// <summary>Body of <c>POST /v1/requests/{requestId}/follow-up</c>.</summary>
public sealed record FollowUpBody([property: Required, StringLength(64, MinimumLength = 1), NotBlank] string Code);

/// <summary>
/// A request as its follow-up shows it: what it was, how far it came and who was told; not whose it was (no user id)
/// nor who filed or confirmed it, which the code's holder needs not learn.
/// </summary>
public sealed record RequestFollowUp(
    string RequestId,
    DataRightsRequestType Type,
    DataRightsRequestStatus Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CancelledAt,
    RequestProgress? Progress,
    ErasureReceipt? Receipt,
    IReadOnlyList<RequestRecipient> Recipients)
{
    public static RequestFollowUp Of(DataRightsRequestView view) => new(
        view.RequestId, view.Type, view.Status, view.ReceivedAt, view.DueAt, view.CompletedAt, view.CancelledAt, view.Progress, view.Receipt,
        view.Recipients ?? []);
}
