using MeiLing.Api.Consoles;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MeiLing.Api.Pages.Privacy;

/// <summary>Signs this browser out: the session cookie goes (ending every session is the API's DELETE /v1/sessions).</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Privacy);

    public IActionResult OnPost()
    {
        Response.Cookies.Delete(UserSessions.CookieName);
        return Redirect(ConsolePaths.PrivacySignIn);
    }
}
