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
            .WithSummary("Text a 6-digit code (5 minutes, 5 attempts, this phone and purpose only) to a mainland mobile number; 202 whether or not it is registered; 429 beyond the per-number or per-address allowance. A guardian-consent or guardian-withdrawal code naming the child (userId) is good for that child alone, so no other account naming the same guardian can burn it (P5.1); it is texted only when that child's guardian is this number, and the answer is the same either way.");
        return group;
    }

    internal static async Task<Results<Accepted, ValidationProblem>> Send(
        SendCodeRequest request, IClusterClient cluster, CodeSendsPerNetwork networks, HttpContext context)
    {
        networks.Take(context);
        if (request.UserId is null)
        {
            await cluster.GetGrain<IUserAccountsGrain>(0).SendCode(request.Phone, request.Purpose);
            return TypedResults.Accepted((string?)null);
        }

        if (!EntityId.IsWellFormed(request.UserId, EntityId.UserPrefix))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = ["A user id (usr_…)."] });
        }

        await cluster.GetGrain<IUserAccountsGrain>(0).SendGuardianCode(request.Phone, request.Purpose, request.UserId);
        return TypedResults.Accepted((string?)null);
    }
}

/// <summary>
/// Body of <c>POST /v1/verification-codes</c>. <see cref="UserId"/> names the child a guardian's code is for
/// (<c>guardian-consent</c>, <c>guardian-withdrawal</c> only).
/// </summary>
public sealed record SendCodeRequest(
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    VerificationPurpose Purpose,
    [property: StringLength(64)] string? UserId = null);
