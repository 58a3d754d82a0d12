using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Consoles;
using MeiLing.Grains.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MeiLing.Api.Pages.Console;

/// <summary>
/// Ends the console session (a POST with the form's token, so no other site can sign an agent out): in the cluster first,
/// so a copy of the cookie ends with it, then the cookie.
/// </summary>
[AllowAnonymous]
[RunsPastSupportDay]
public sealed partial class SignOutModel(IClusterClient cluster, ILogger<SignOutModel> logger) : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Console);

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var session = await HttpContext.AuthenticateAsync(ConsoleAuthentication.Scheme);
            if (session.Principal?.FindFirstValue(ConsoleAuthentication.SessionClaim) is { } sessionId)
            {
                await cluster.GetGrain<IConsoleSessionGrain>(sessionId).End();
            }
        }
        catch (Exception notEnded)
        {
            // This browser is signed out whatever the cluster answered: an error page would keep the cookie in it. A copy
            // of the cookie then lives on to its 8 hours, as before session ids, which the log says.
            LogSessionNotEnded(notEnded.GetType().Name);
        }

        await HttpContext.SignOutAsync(ConsoleAuthentication.Scheme);
        return Redirect(ConsolePaths.ConsoleSignIn);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A console sign-out could not end its session in the cluster ({Reason}); the cookie was deleted")]
    private partial void LogSessionNotEnded(string reason);
}
