using System.ComponentModel.DataAnnotations;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Identity;
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
            .WithSummary("Text a 6-digit code (5 minutes, 5 attempts, this phone and purpose only) to a mainland mobile number; 202 whether or not it is registered; 429 beyond the per-number or per-address allowance.");
        return group;
    }

    internal static async Task<Accepted> Send(SendCodeRequest request, IClusterClient cluster)
    {
        await cluster.GetGrain<IUserAccountsGrain>(0).SendCode(request.Phone, request.Purpose);
        return TypedResults.Accepted((string?)null);
    }
}

/// <summary>Body of <c>POST /v1/verification-codes</c>.</summary>
public sealed record SendCodeRequest(
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    VerificationPurpose Purpose);
