using Microsoft.AspNetCore.OutputCaching;

namespace MeiLing.Api.Extensions;

/// <summary>
/// P4.4: the OpenAPI document is anonymous, and building it walks every route, schema and transformer: built anew for each
/// request, it was the most work any anonymous caller could ask for. It only changes with a release, so the first
/// request's document is kept in the output cache for the process's life, whatever the Host header or query string of
/// later ones (neither could make a request build it again). It names no server (<see cref="OpenApiSecurityTransformer"/>),
/// so the first caller's Host is never what a later reader is told to call.
/// </summary>
public static class OpenApiDocumentCache
{
    public const string Pattern = "/openapi/{documentName}.json";

    // Naming one query key takes the others out of the cache key; the document reads none.
    private const string NoQueryKey = "no-query-key-varies-the-document";

    public static bool IsDocumentPath(HttpContext context) => context.Request.Path.StartsWithSegments("/openapi");

    public static void Policy(OutputCachePolicyBuilder policy) =>
        policy.Expire(TimeSpan.FromDays(365)).SetVaryByHost(false).SetVaryByQuery(NoQueryKey);
}
