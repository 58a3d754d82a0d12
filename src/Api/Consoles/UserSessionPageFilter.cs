using MeiLing.Api.Security;
using MeiLing.Grains;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MeiLing.Api.Consoles;

/// <summary>
/// The privacy center's counterpart of <see cref="UserSessionEndpointFilter"/>: a page signed in with a
/// user's session cookie asks the user's grain first whether the session is still current (signed out
/// everywhere, password changed, account closed); an ended one is sent back to sign in. Every grain call
/// the page then makes carries the verified session.
/// </summary>
public sealed class UserSessionPageFilter(IGrainFactory grains) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HttpContext.Features.Get<UserSessionCheck>() is not { } session)
        {
            await next();
            return;
        }

        try
        {
            await session.VerifyAsync(grains);
        }
        catch (DomainException ended) when (ended.Code == SessionContext.EndedCode)
        {
            UserSessions.DeleteCookie(context.HttpContext);
            context.Result = new Microsoft.AspNetCore.Mvc.RedirectResult(ConsolePaths.PrivacySignIn);
            return;
        }

        UserSessionCheck.Current = session;
        await next();
    }
}
