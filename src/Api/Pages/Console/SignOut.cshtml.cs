using MeiLing.Api.Consoles;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MeiLing.Api.Pages.Console;

/// <summary>Ends the console session (a POST with the form's token, so no other site can sign an agent out).</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Console);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleAuthentication.Scheme);
        return Redirect(ConsolePaths.ConsoleSignIn);
    }
}
