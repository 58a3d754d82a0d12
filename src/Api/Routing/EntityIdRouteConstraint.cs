using MeiLing.Grains.Platform;

namespace MeiLing.Api.Routing;

/// <summary>
/// <c>{userId:id}</c>: the value has the shape of an id the platform issued for the parameter's name
/// (<see cref="RouteIds.Prefixes"/>). A parameter name without a prefix there never matches, so a
/// misspelt route fails its first test rather than admitting any string.
/// </summary>
public sealed class EntityIdRouteConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        RouteIds.Prefixes.TryGetValue(routeKey, out var prefix)
        && values.TryGetValue(routeKey, out var value)
        && EntityId.IsWellFormed(value as string, prefix);
}
