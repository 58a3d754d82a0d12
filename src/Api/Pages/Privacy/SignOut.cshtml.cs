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
/// elsewhere (a shared computer) is ended from this one. The cookie goes whatever the cluster answers, as the console's
/// sign-out does.
/// </summary>
[AllowAnonymous]
public sealed partial class SignOutModel(IClusterClient cluster, ILogger<SignOutModel> logger) : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Privacy);

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            // A session the page filter did not find ended; without one (no cookie, an ended session, a token from before
            // sessions had ids, which only signing out everywhere ends) there is nothing to end but the cookie. Its call
            // carries the session, so the user's grain checks it first should the page filter not have reached it.
            if (HttpContext.Features.Get<UserSessionCheck>() is { SessionId: not null })
            {
                await SessionsApi.SignOut(cluster, HttpContext);
            }
        }
        catch (Exception notEnded)
        {
            // P4.4: this browser is signed out whatever the cluster answered: an error page kept the cookie, and the next
            // person at this browser was signed in as the user. A copy of the token lives on to its expiry, which the log says.
            LogSessionNotEnded("this session", notEnded.GetType().Name);
        }

        UserSessions.DeleteCookie(HttpContext);
        return Redirect(ConsolePaths.PrivacySignIn);
    }

    public async Task<IActionResult> OnPostEverywhereAsync()
    {
        try
        {
            // Only a session the page filter did not find ended speaks for its user; the call carries it, so the user's
            // grain checks it in the same turn.
            if (HttpContext.Features.Get<UserSessionCheck>() is { } session)
            {
                await cluster.GetGrain<IUserCredentials>(session.UserId).RevokeSessions();
            }
        }
        catch (Exception notEnded)
        {
            // P4.4: as above; the user's other sessions go on, which the log says (the user may sign in and try again).
            LogSessionNotEnded("every session", notEnded.GetType().Name);
        }

        UserSessions.DeleteCookie(HttpContext);
        return Redirect(ConsolePaths.PrivacySignIn);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A privacy-center sign-out could not end {Which} in the cluster ({Reason}); the cookie was deleted")]
    private partial void LogSessionNotEnded(string which, string reason);
}
