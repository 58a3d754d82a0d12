namespace MeiLing.Api.Security;

/// <summary>Answers 404 before the handler runs when the caller is outside the route's <see cref="CallerScope"/>.</summary>
internal sealed class CallerScopeFilter(CallerScope scope) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues[scope.RouteValue] is not string id || !scope.Admits(http.User, id))
        {
            return TypedResults.NotFound();
        }

        if (scope.Exists is { } exists && !CallerScope.IsTheParty(http.User, id)
            && !await exists(http.RequestServices.GetRequiredService<IClusterClient>(), id))
        {
            return TypedResults.NotFound();
        }

        return await next(context);
    }
}
