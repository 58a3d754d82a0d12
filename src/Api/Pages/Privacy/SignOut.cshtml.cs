using MeiLing.Api.Apis;
using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>
/// Signs this browser out: the session itself ends in the user's grain, as the API's DELETE /v1/sessions/current
/// ends it, so a copy of the cookie's token taken earlier stops working too (P4.4); then the cookie goes. Its
/// <c>Everywhere</c> form ends every session of the user, as the API's DELETE /v1/sessions does: a browser left signed in
/// elsewhere (a shared computer) is ended from this one.
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

    public async Task<IActionResult> OnPostEverywhereAsync()
    {
        // Only a session the page filter found current speaks for its user.
        if (HttpContext.Features.Get<UserSessionCheck>() is { } session)
        {
            await cluster.GetGrain<IUserCredentials>(session.UserId).RevokeSessions();
        }

        UserSessions.DeleteCookie(HttpContext);
        return Redirect(ConsolePaths.PrivacySignIn);
    }
}
