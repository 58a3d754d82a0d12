using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>Registration with the phone code, through the API's own handlers; then signed in.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.CredentialsPolicy)]
public sealed class RegisterModel(IClusterClient cluster, ApiSettings settings, UserSessions sessions) : ConsolePageModel(cluster)
{
    [BindProperty]
    public RegisterUserRequest? Input { get; set; }

    public string? Phone { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostCodeAsync([FromForm] SendCodeRequest? request)
    {
        ModelState.Remove("Input");
        Phone = request?.Phone;
        if (request is null || !ModelState.IsValid)
        {
            Error = ValidationErrors();
        }
        else if (await AttemptAsync(() => VerificationCodesApi.Send(request with { Purpose = VerificationPurpose.Register }, Cluster)))
        {
            Notice = "验证码已发送。A code is on its way.";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Phone = Input?.Phone;
        if (Input is null || !ModelState.IsValid)
        {
            Error = ValidationErrors();
            return Page();
        }

        var registered = await AttemptAsync(async () =>
        {
            if (Accept(ApiAnswer.Of<UserRegistered>(await UsersApi.Register(Input, Cluster, settings)), out _))
            {
                await SessionsApi.SignIn(new SignInRequest(Input.Phone, Input.Password), Cluster, sessions, HttpContext);
            }
        });
        return registered && Error is null ? Redirect(ConsolePaths.Privacy) : Page();
    }
}
