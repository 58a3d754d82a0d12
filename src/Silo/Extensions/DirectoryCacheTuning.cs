using Orleans.Configuration;

namespace MeiLing.Silo.Extensions;

/// <summary>
/// The grain directory's cache of where activations live, bounded at <see cref="CacheSize"/> entries instead of
/// Orleans' 1,000,000. The dashboard reads Orleans' metrics once a second, and the cache's size is counted by walking
/// every entry: with every order a grain of its own, the cache held hundreds of thousands of order ids under load, and
/// counting them took 8.5 % of the silo's CPU (docs/performance.md). A silo's working set of users, merchants and
/// catalogues is far below the bound; an entry that fell out costs one directory lookup when next called.
/// </summary>
public static class DirectoryCacheTuning
{
    public const int CacheSize = 100_000;

    public static ISiloBuilder UseBoundedDirectoryCache(this ISiloBuilder silo) =>
        silo.Configure<GrainDirectoryOptions>(options => options.CacheSize = CacheSize);
}
