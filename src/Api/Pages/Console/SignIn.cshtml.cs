using MeiLing.Api.Audit;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MeiLing.Api.Pages.Console;

/// <summary>Signs a support agent or operator in with their key, checked as the X-Api-Key header is; then a console cookie.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.CredentialsPolicy)]
public sealed class SignInModel(IClusterClient cluster, StaffKeys keys) : ConsolePageModel(cluster)
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? apiKey)
    {
        var staff = apiKey is null ? null : await keys.ResolveAsync(apiKey.Trim(), ConsoleAuthentication.Scheme);
        if (staff is null || !(staff.IsInRole(Roles.Support) || staff.IsInRole(Roles.Operator)))
        {
            Error = "密钥无效。The key is not a valid support or operator key.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        // P1.7, P4.4: a sign-in spends one of a support agent's day of calls, as every console page does. Anonymous, it
        // was uncounted, and a loop of sign-ins and sign-outs wrote audit rows past the day.
        if (staff.IsInRole(Roles.Support))
        {
            try
            {
                await SupportAuditMiddleware.SupportDayOf(Cluster, staff).Take();
            }
            catch (DomainException spent) when (spent.Kind == DomainErrorKind.TooManyRequests)
            {
                Error = "今日操作次数已用完。" + spent.Message;
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            }
        }

        var keyHash = Convert.ToHexStringLower(StaffKeys.Hash(apiKey!.Trim()));
        await HttpContext.SignInAsync(ConsoleAuthentication.Scheme, ConsoleAuthentication.ForSession(staff, keyHash, ConsoleAuthentication.NewSessionId()));
        return LocalRedirect(ConsolePaths.SafeReturnUrl(ReturnUrl, ConsolePaths.Console));
    }
}
