using System.ComponentModel.DataAnnotations;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Forgotten passwords: a new one with a code texted to the number (purpose <c>reset-password</c>).</summary>
public static class PasswordResetsApi
{
    public static RouteGroupBuilder MapPasswordResetsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/password-resets").WithTags("Identity");
        group.MapPost("/", Reset).AllowAnonymous().RequireRateLimiting(RateLimits.CredentialsPolicy)
            .WithName("ResetPassword")
            .WithSummary("Set a new password with a reset-password code: every session ends and the failed-sign-in lock lifts; 400 verification-failed or weak-password (P4.4).");
        return group;
    }

    private static async Task<NoContent> Reset(ResetPasswordRequest request, IClusterClient cluster)
    {
        await cluster.GetGrain<IUserAccountsGrain>(0).ResetPassword(request.Phone, request.VerificationCode, request.NewPassword);
        return TypedResults.NoContent();
    }
}

/// <summary>Body of <c>POST /v1/password-resets</c>.</summary>
public sealed record ResetPasswordRequest(
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    [property: Required, StringLength(16, MinimumLength = 1)] string VerificationCode,
    [property: Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Passwords are 8 to 128 characters and not one of the commonest.")] string NewPassword);
