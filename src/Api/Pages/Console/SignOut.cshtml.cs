using System.Security.Claims;
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
public sealed class SignOutModel(IClusterClient cluster) : PageModel
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
        finally
        {
            // Whatever the cluster answered, this browser is signed out.
            await HttpContext.SignOutAsync(ConsoleAuthentication.Scheme);
        }

        return Redirect(ConsolePaths.ConsoleSignIn);
    }
}
