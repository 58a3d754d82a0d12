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
public sealed partial class UserSessionPageFilter(IGrainFactory grains, ILogger<UserSessionPageFilter> logger) : IAsyncPageFilter
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
        catch (Exception unverified) when (context.HandlerInstance is Pages.Privacy.SignOutModel)
        {
            // P4.4: the sign-out runs even when the user's grain cannot answer (the cluster unreachable, its storage failing):
            // an error page here kept the cookie, and the next person at this browser was signed in. Its grain calls still
            // carry the unverified session (below), so the user's grain checks it before ending anything.
            LogSignOutUnverified(unverified.GetType().Name);
        }

        UserSessionCheck.Current = session;
        await next();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A privacy-center sign-out could not verify its session ({Reason}); it signs this browser out regardless")]
    private partial void LogSignOutUnverified(string reason);
}
