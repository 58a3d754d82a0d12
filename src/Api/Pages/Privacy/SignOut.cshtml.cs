using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>
/// Signs this browser out: the session itself ends in the user's grain, as the API's DELETE /v1/sessions/current
/// ends it, so a copy of the cookie's token taken earlier stops working too (P4.4); then the cookie goes. Ending
/// every session is the API's DELETE /v1/sessions.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel(IClusterClient cluster) : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Privacy);

    public async Task<IActionResult> OnPostAsync()
    {
        // A session the page filter found current; without one (no cookie, an ended session, a token from before
        // sessions had ids, which only signing out everywhere ends) there is nothing to end but the cookie.
        if (HttpContext.Features.Get<UserSessionCheck>() is { SessionId: not null })
        {
            await SessionsApi.SignOut(cluster, HttpContext);
        }

        UserSessions.DeleteCookie(HttpContext);
        return Redirect(ConsolePaths.PrivacySignIn);
    }
}
