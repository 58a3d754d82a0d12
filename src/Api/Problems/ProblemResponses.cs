using MeiLing.Api.Routing;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Problems;

/// <summary>
/// The problem+json answers each route declares in the OpenAPI document. Most follow from the route's shape and
/// are declared for every route of a group by <see cref="WithProblemResponses"/>: 400 always (a malformed header,
/// query or path is refused on any route), 413 and 415 for a route that takes a body, 401 and 403 unless it is
/// anonymous, 404 for one with an id in its path, 429 always (every caller has a rate). What only the grain knows, a 409 say, the route declares
/// itself with <see cref="ProducesProblems"/>.
/// </summary>
public static class ProblemResponses
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>Declares that the route can answer each of <paramref name="statuses"/> with problem+json.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => Declare(endpoint, statuses));
        return builder;
    }

    /// <summary>Declares 401 and 403: the route needs a caller with a role.</summary>
    public static TBuilder ProducesCallerProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

    /// <summary>Declares, on every route of the group, the problems its shape implies (see the class summary).</summary>
    public static TBuilder WithProblemResponses<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var statuses = new List<int> { StatusCodes.Status400BadRequest, StatusCodes.Status429TooManyRequests };
            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern;
            var takesBody = endpoint.Metadata.OfType<IAcceptsMetadata>().Any();
            if (takesBody)
            {
                statuses.Add(StatusCodes.Status413PayloadTooLarge);
                statuses.Add(StatusCodes.Status415UnsupportedMediaType);
            }

            if (!endpoint.Metadata.OfType<IAllowAnonymous>().Any())
            {
                statuses.Add(StatusCodes.Status401Unauthorized);
                statuses.Add(StatusCodes.Status403Forbidden);
            }

            if (pattern?.ParameterPolicies.Values.SelectMany(policies => policies).Any(policy => policy.Content == RouteIds.ConstraintName) == true)
            {
                statuses.Add(StatusCodes.Status404NotFound);
            }

            // Every refusal the handler itself declares (TypedResults.NotFound(), …) is problem+json too.
            statuses.AddRange(endpoint.Metadata.OfType<IProducesResponseTypeMetadata>()
                .Where(declared => declared.StatusCode is >= 400 and < 500).Select(declared => declared.StatusCode));
            Declare(endpoint, [.. statuses.Distinct()]);
        });
        return builder;
    }

    private static void Declare(EndpointBuilder endpoint, int[] statuses)
    {
        foreach (var status in statuses)
        {
            // A handler's TypedResults.NotFound() declares its status without a body; the body is problem+json.
            foreach (var bare in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>()
                .Where(existing => existing.StatusCode == status && (existing.Type is null || existing.Type == typeof(void))).ToList())
            {
                endpoint.Metadata.Remove(bare);
            }

            if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(existing => existing.StatusCode == status))
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemJson));
            }
        }
    }
}
