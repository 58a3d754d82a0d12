using MeiLing.Api.Problems;

namespace MeiLing.Api.Security;

public static class CallerScopeExtensions
{
    /// <summary>
    /// The route is about the user or merchant its <c>{userId}</c>/<c>{merchantId}</c> names, for callers in
    /// <paramref name="scope"/>: requires the scope's policy, answers 404 to anyone else before the handler runs,
    /// and declares the 401, 403 and 404 problems it can answer.
    /// </summary>
    public static TBuilder ForCaller<TBuilder>(this TBuilder route, CallerScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        route.RequireAuthorization(scope.Policy)
            .AddEndpointFilter(new CallerScopeFilter(scope))
            .ProducesCallerProblems()
            .ProducesProblems(StatusCodes.Status404NotFound);
}
