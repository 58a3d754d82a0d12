using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace MeiLing.Api.Consoles;

/// <summary>
/// What a console page does when authorization refuses: a caller who is not signed in is sent to the
/// console's own sign-in page (coming back to the page afterwards, a GET only); a signed-in caller
/// outside the page's policy gets 403, as the API's route would answer. API routes keep their 401/403
/// problem responses.
/// </summary>
public sealed class ConsoleChallenges : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _api = new();

    // Not async: an authorized request, which is nearly every one, goes on without a state machine of its own.
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var path = context.Request.Path;
        if (!ConsolePaths.IsPage(path) || authorizeResult.Succeeded)
        {
            return _api.HandleAsync(next, context, policy, authorizeResult);
        }

        if (authorizeResult.Challenged)
        {
            var signIn = ConsolePaths.IsConsole(path) ? ConsolePaths.ConsoleSignIn : ConsolePaths.PrivacySignIn;
            var back = HttpMethods.IsGet(context.Request.Method) ? $"?returnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}" : "";
            context.Response.Redirect(signIn + back);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
