using Orleans.Services;

namespace MeiLing.Grains.Platform;

/// <summary>
/// The facts one silo keeps at hand (an API key's grant, a merchant, the policy versions' standing). The grain that
/// changes a fact calls this service on every silo before it answers, so no silo serves the old value afterwards.
/// </summary>
[Alias("meiling.silo-fact-cache")]
public interface ISiloFactCache : IGrainService
{
    /// <summary>Drops <paramref name="fact"/> from this silo; the next read asks its grain again.</summary>
    [Alias("forget")]
    Task Forget(CachedFact fact);
}
