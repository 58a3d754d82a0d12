using System.ComponentModel.DataAnnotations;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>One-time codes texted to a phone: registering, resetting a password, confirming a request, a guardian's consent.</summary>
public static class VerificationCodesApi
{
    public static RouteGroupBuilder MapVerificationCodesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/verification-codes").WithTags("Identity");
        group.MapPost("/", Send).AllowAnonymous().RequireRateLimiting(RateLimits.CodesPolicy)
            .WithName("SendVerificationCode")
            .WithSummary("Text a 6-digit code (5 minutes, 5 attempts, this phone and purpose only) to a mainland mobile number; 202 whether or not it is registered; 429 beyond the per-number or per-address allowance; one network may ask for at most half of a number's day of codes for a purpose (5 of 10), so a stranger spending them leaves the owner the rest (P4.4). A guardian-consent or guardian-withdrawal code naming the child (userId) is good for that child alone, so no other account naming the same guardian can burn it (P5.1); it is texted only when that child's guardian is this number, and the answer is the same either way, given before anything is texted. The answer's verificationId, presented with the code (registering, resetting a password, a guardian's confirmation or withdrawal), gives that code 5 attempts of its own that guesses without it cannot burn; a wrong code is also tried as one without an id (P4.4).");
        return group;
    }

    internal static async Task<Results<Accepted<CodeSent>, ValidationProblem>> Send(
        SendCodeRequest request, IClusterClient cluster, HttpContext context)
    {
        // Handed out whether or not anything is texted (a number that is not a child's guardian's gets one that leads
        // nowhere), so it tells nobody about the number: only the code it was texted with answers to it.
        var sent = new CodeSent(VerificationIds.New());
        var accounts = cluster.GetGrain<IUserAccountsGrain>(0);
        if (request.UserId is null)
        {
            await accounts.AskCode(new CodeAsked(sent.VerificationId, request.Phone, request.Purpose, AskingNetworkOf(context)));
            return TypedResults.Accepted((string?)null, sent);
        }

        if (!EntityId.IsWellFormed(request.UserId, EntityId.UserPrefix))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = ["A user id (usr_…)."] });
        }

        await accounts.IssueGuardianCode(sent.VerificationId, request.Phone, request.Purpose, request.UserId);
        return TypedResults.Accepted((string?)null, sent);
    }

    /// <summary>The network whose share of a number's sends the ask spends (P4.4): the rate limiter's, none without an address.</summary>
    private static string? AskingNetworkOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? RateLimits.ClientAddress(address) : null;
}

/// <summary>
/// The answer to <c>POST /v1/verification-codes</c>: the id to present with the code (P4.4). With it, the code has five
/// guesses of its own, so nobody guessing at the number's codes without it can burn it.
/// </summary>
public sealed record CodeSent(string VerificationId);

/// <summary>
/// Body of <c>POST /v1/verification-codes</c>. <see cref="UserId"/> names the child a guardian's code is for
/// (<c>guardian-consent</c>, <c>guardian-withdrawal</c> only).
/// </summary>
public sealed record SendCodeRequest(
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    VerificationPurpose Purpose,
    [property: StringLength(64)] string? UserId = null);
