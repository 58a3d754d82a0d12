namespace MeiLing.Api.Security;

/// <summary>
/// Puts the request's user session where the grain-call filter finds it while the endpoint runs, and,
/// when the endpoint made no grain call that confirmed it, confirms it before the result is sent.
/// </summary>
public sealed class UserSessionEndpointFilter(IGrainFactory grains) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Features.Get<UserSessionCheck>() is not { } session
            || context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IgnoresUserSession>() is not null)
        {
            return await next(context);
        }

        UserSessionCheck.Current = session;
        var result = await next(context);
        if (!session.Verified)
        {
            await session.VerifyAsync(grains);
        }

        return result;
    }
}
