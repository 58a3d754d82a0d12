using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>Signs a user in through the API's own sign-in (the same session token, in the same HttpOnly cookie, P2.1).</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.CredentialsPolicy)]
public sealed class SignInModel(IClusterClient cluster, UserSessions sessions, ApiSettings settings) : ConsolePageModel(cluster)
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? phone, [FromForm] string? password)
    {
        var credentials = new SignInRequest(phone?.Trim() ?? "", password ?? "");
        if (EdgeValidation.Errors(credentials) is { } invalid)
        {
            Error = invalid;
            return Page();
        }

        if (!await AttemptAsync(() => SessionsApi.SignIn(credentials, Cluster, sessions, HttpContext, settings)))
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        return LocalRedirect(ConsolePaths.SafeReturnUrl(ReturnUrl, ConsolePaths.Privacy));
    }
}
