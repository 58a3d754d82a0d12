using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Platform;

/// <summary>This silo's end of <see cref="ISiloFactCache"/>: a forget from the grain that changed a fact.</summary>
internal sealed class SiloFactCacheService(GrainId grainId, Silo silo, ILoggerFactory loggerFactory, SiloFacts facts)
    : GrainService(grainId, silo, loggerFactory), ISiloFactCache
{
    public Task Forget(CachedFact fact)
    {
        facts.Forget(fact);
        return Task.CompletedTask;
    }
}
