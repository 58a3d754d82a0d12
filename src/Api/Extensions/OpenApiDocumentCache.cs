using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;

namespace MeiLing.Api.Extensions;

/// <summary>
/// P4.4: the OpenAPI document is anonymous, and building it walks every route, schema and transformer: built anew for each
/// request, it was the most work any caller could ask for. It only changes with a release, so the first request's document
/// is kept in the output cache for the process's life, whatever the Host header or query string of later ones (neither could
/// make a request build it again), and whoever asks: the built-in default policy neither reads nor fills the cache for a
/// request with credentials, so a signed-in user, a key holder or anyone sending an expired token of their own had it built
/// for each request (*reviewer*). It names no server (<see cref="OpenApiSecurityTransformer"/>) and no caller, so the first
/// caller's Host or credentials are never what a later reader is told.
/// </summary>
public static class OpenApiDocumentCache
{
    public const string Pattern = "/openapi/{documentName}.json";

    public static IOutputCachePolicy Policy { get; } = new EveryCallerAlike();

    public static bool IsDocumentPath(HttpContext context) => context.Request.Path.StartsWithSegments("/openapi");

    private sealed class EveryCallerAlike : IOutputCachePolicy
    {
        private static readonly TimeSpan Kept = TimeSpan.FromDays(365);

        ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
        {
            var method = context.HttpContext.Request.Method;
            var readOnly = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = readOnly;
            context.AllowCacheStorage = readOnly;
            context.AllowLocking = true;
            // Neither the Host nor any query key varies the document: the key is the path alone.
            context.CacheVaryByRules.VaryByHost = false;
            context.ResponseExpirationTimeSpan = Kept;
            return ValueTask.CompletedTask;
        }

        ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        // Only the document itself is kept: never a refusal, nor a response that sets a cookie for its caller.
        ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode != StatusCodes.Status200OK || !StringValues.IsNullOrEmpty(response.Headers.SetCookie))
            {
                context.AllowCacheStorage = false;
            }

            return ValueTask.CompletedTask;
        }
    }
}
