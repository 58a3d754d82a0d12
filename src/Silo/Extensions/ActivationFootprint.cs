using Orleans.Configuration;

namespace MeiLing.Silo.Extensions;

/// <summary>
/// Keeps what the silo walks every second small. The dashboard reads Orleans' metrics once a second, and two of them
/// are counted by walking: every activation (for its pending requests) and every entry of the grain directory's cache.
/// With every order a grain of its own, both grow with the order rate: under order load the walks took 18 % of the
/// silo's CPU (docs/performance.md). So the cache is bounded far below Orleans' 1,000,000 entries, and the collector
/// looks for idle activations every <see cref="CollectionQuantum"/> instead of every minute, so that grains with a
/// short <see cref="CollectionAgeLimitAttribute"/> (orders) leave soon after they fall idle.
/// </summary>
/// <remarks>
/// A silo's working set of users, merchants and catalogues is far below <see cref="DirectoryCacheSize"/>; an entry
/// that fell out costs one directory lookup when next called. A collector pass visits only the activations due in it,
/// so passing more often does not cost more in all.
/// </remarks>
public static class ActivationFootprint
{
    public const int DirectoryCacheSize = 20_000;

    public static readonly TimeSpan CollectionQuantum = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an idle activation lives (Orleans' own default, set here so it is not lowered unknowingly). P4.4: the abuse
    /// windows kept in memory alone (a number's failed sign-ins, a user's wrong current passwords: 15 minutes) hold only
    /// because an activation outlives them; a shorter age would let a guesser wait out the collection for a fresh count.
    /// </summary>
    public static readonly TimeSpan CollectionAge = TimeSpan.FromMinutes(15);

    public static ISiloBuilder UseLeanActivationFootprint(this ISiloBuilder silo) =>
        silo
            .Configure<GrainDirectoryOptions>(options => options.CacheSize = DirectoryCacheSize)
            .Configure<GrainCollectionOptions>(options =>
            {
                options.CollectionQuantum = CollectionQuantum;
                options.CollectionAge = CollectionAge;
            });
}
