using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Policies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>Registration with the phone code, through the API's own handlers; then signed in.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.RegisterPagePolicy)]
public sealed class RegisterModel(IClusterClient cluster, ApiSettings settings, UserSessions sessions, NetworkAllowances allowances) : ConsolePageModel(cluster)
{
    [BindProperty]
    public RegisterForm Input { get; set; } = new();

    public string? Phone => Input.Phone;

    /// <summary>The policy version the page shows, the one the registration accepts (P6.1); null before any is published.</summary>
    public PolicyVersion? Policy { get; private set; }

    public async Task OnGetAsync() => await ShowPolicyAsync();

    public async Task<IActionResult> OnPostCodeAsync([FromForm] string? phone)
    {
        Input.Phone = phone;
        await ShowPolicyAsync();
        var request = new SendCodeRequest(phone?.Trim() ?? "", VerificationPurpose.Register);
        Error = EdgeValidation.Errors(request);
        // The code's id rides on the registration form, so that only this code is tried, with its own attempts (P4.4).
        if (Error is null && await AttemptAsync(async () => Input.VerificationId = VerificationIdOf(await VerificationCodesApi.Send(request, Cluster, HttpContext))))
        {
            Notice = "验证码已发送。A code is on its way.";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // P6.1 (*reviewer*): the version the page showed is the one accepted. Without it the registration recorded the current
        // version, a rights-reducing one published while the form was open included, never shown to the user.
        var request = new RegisterUserRequest(
            Input.Phone?.Trim() ?? "", Input.Password ?? "", Input.Nickname?.Trim() ?? "", VerificationCode: Input.VerificationCode?.Trim(),
            VerificationId: Input.VerificationId, PolicyVersion: string.IsNullOrWhiteSpace(Input.PolicyVersion) ? null : Input.PolicyVersion);
        await ShowPolicyAsync();
        Error = EdgeValidation.Errors(request);
        if (Error is not null)
        {
            return Page();
        }

        // The route's day of wrong codes holds for the form too (P4.4).
        var registered = await AttemptAsync(() => WrongCodeFilter.GuardAsync(allowances, HttpContext, async () =>
        {
            if (Accept(ApiAnswer.Of<UserRegistered>(await UsersApi.Register(request, Cluster, settings)), out _))
            {
                await SessionsApi.SignIn(new SignInRequest(request.Phone, request.Password), Cluster, sessions, HttpContext, settings);
            }

            return true;
        }));
        return registered && Error is null ? Redirect(ConsolePaths.Privacy) : Page();
    }

    // The version posted with the form stays the one shown: a page shown again after a refusal keeps what the user read.
    // That one version is read, not every version there is (*reviewer*: an anonymous post naming any version read them all).
    private async Task ShowPolicyAsync()
    {
        var policy = Cluster.GetGrain<IPrivacyPolicyGrain>(IPrivacyPolicyGrain.PlatformPolicyKey);
        var current = await policy.GetCurrent();
        Policy = Input.PolicyVersion is { Length: > 0 and <= 64 } shown && current?.Version != shown
            ? await policy.GetVersion(shown) ?? current
            : current;
    }

    private static string? VerificationIdOf(Results<Accepted<CodeSent>, ValidationProblem> answer) =>
        answer.Result is Accepted<CodeSent> { Value: { } sent } ? sent.VerificationId : null;

    /// <summary>The registration form's fields.</summary>
    public sealed class RegisterForm
    {
        public string? Phone { get; set; }

        public string? Password { get; set; }

        public string? Nickname { get; set; }

        public string? VerificationCode { get; set; }

        /// <summary>The id the code's send handed out, kept in the form between its two posts.</summary>
        public string? VerificationId { get; set; }

        /// <summary>The policy version the page showed, accepted by registering (P6.1).</summary>
        public string? PolicyVersion { get; set; }
    }
}
