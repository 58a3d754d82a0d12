using MeiLing.Grains.Access;
using Microsoft.Extensions.DependencyInjection;

namespace MeiLing.Grains.Platform;

public static class SiloFactsExtensions
{
    /// <summary>The silo's copies of rarely changing facts, the service that forgets them, its leases of merchants' days of sales, and the API key resolver that reads them.</summary>
    public static IServiceCollection AddSiloFacts(this IServiceCollection services)
    {
        services.AddSingleton<SiloFacts>();
        services.AddSingleton<ClusterFacts>();
        services.AddSingleton<AllowanceLeases>();
        services.AddGrainService<SiloFactCacheService>();
        services.AddSingleton<IApiKeyResolver, SiloApiKeyResolver>();
        return services;
    }
}
