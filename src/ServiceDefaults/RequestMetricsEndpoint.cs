using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeiLing.ServiceDefaults;

/// <summary><c>GET /health/metrics</c>: this host's request counts and latencies as JSON, cheap; the host decides who may read it.</summary>
public static class RequestMetricsEndpoint
{
    public const string Path = "/health/metrics";

    public static IServiceCollection AddRequestMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton<RequestMetrics>();
        return services;
    }

    public static IEndpointConventionBuilder MapRequestMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Created at start-up rather than on first use, so the requests before the first read count too.
        var metrics = endpoints.ServiceProvider.GetRequiredService<RequestMetrics>();
        return endpoints.MapGet(Path, () => TypedResults.Ok(metrics.Snapshot()))
            .ExcludeFromDescription();
    }
}
