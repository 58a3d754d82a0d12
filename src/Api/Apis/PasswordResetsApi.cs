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
        group.MapPost("/", Reset).AllowAnonymous().RequireRateLimiting(RateLimits.CredentialsPolicy).AddEndpointFilter<WrongCodeFilter>()
            .WithName("ResetPassword")
            .WithSummary("Set a new password with a reset-password code: every session ends and the failed-sign-in lock lifts; 400 verification-failed or weak-password (P4.4). With the verificationId its send handed out, that code has attempts of its own that guesses without the id cannot burn. With signIn: true, 200 with the new password's session (token, userId, expiresAt, and the session cookie), so a stranger keeping the number's sign-ins locked cannot keep its owner out; 204 otherwise, and for a number with no account. One network presents at most 100 wrong codes a day on this route, registration and guardians' withdrawals together (MEILING_RATE_LIMIT_WRONG_CODES_PER_DAY), then 429 too-many-wrong-codes with Retry-After, the code unexamined.");
        return group;
    }

    internal static async Task<Results<NoContent, Ok<SessionBody>>> Reset(
        ResetPasswordRequest request, IClusterClient cluster, UserSessions sessions, HttpContext http)
    {
        var signedIn = await cluster.GetGrain<IUserAccountsGrain>(0).ResetPasswordWith(new PasswordReset(
            request.Phone, request.VerificationCode, request.NewPassword, request.VerificationId, request.SignIn));
        if (signedIn is null)
        {
            return TypedResults.NoContent();
        }

        return TypedResults.Ok(SessionsApi.Open(signedIn, sessions, http));
    }
}

/// <summary>
/// Body of <c>POST /v1/password-resets</c>. <see cref="VerificationId"/> is the one <c>POST /v1/verification-codes</c> handed
/// out with the code; <see cref="SignIn"/> asks for the new password's session in the answer (P4.4).
/// </summary>
public sealed record ResetPasswordRequest(
    [property: Required, MainlandMobile, StringLength(32)] string Phone,
    [property: Required, StringLength(16, MinimumLength = 1)] string VerificationCode,
    [property: Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Passwords are 8 to 128 characters and not one of the commonest.")] string NewPassword,
    [property: VerificationIdFormat] string? VerificationId = null,
    bool SignIn = false);
