namespace MeiLing.Grains.Platform;

/// <summary>Which kind of slowly changing fact a silo keeps at hand (<see cref="CachedFact"/>).</summary>
public enum CachedFactKind
{
    /// <summary>What an API key stands for, by the key's hash.</summary>
    ApiKeyGrant,

    /// <summary>A merchant as its grain shows it (its region and standing), by merchant id.</summary>
    Merchant,

    /// <summary>Where every policy version stands: all of them change when a version is published.</summary>
    PolicyStandings,

    /// <summary>A catalogue's prices as orders are quoted from them, by merchant id.</summary>
    CataloguePrices,
}

/// <summary>
/// One fact every silo may keep at hand instead of asking its grain on each request, named so that the grain which
/// changes it can have it forgotten on every silo (<see cref="ISiloFactCache"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.cached-fact")]
public sealed record CachedFact([property: Id(0)] CachedFactKind Kind, [property: Id(1)] string Key)
{
    public static CachedFact ApiKeyGrant(string keyHash) => new(CachedFactKind.ApiKeyGrant, keyHash);

    public static CachedFact Merchant(string merchantId) => new(CachedFactKind.Merchant, merchantId);

    public static CachedFact PolicyStandings { get; } = new(CachedFactKind.PolicyStandings, "");

    public static CachedFact CataloguePrices(string merchantId) => new(CachedFactKind.CataloguePrices, merchantId);
}
