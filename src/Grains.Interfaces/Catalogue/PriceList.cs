namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A catalogue's products as orders are priced from them, for a silo to keep at hand (<c>SiloFacts</c>) so that placing
/// an order needs no call to the catalogue grain. The catalogue has every silo's copy forgotten before a change answers.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.price-list")]
public sealed record PriceList([property: Id(0)] IReadOnlyList<Product> Products)
{
    /// <summary>
    /// The most products a price list carries. A larger catalogue is quoted by its grain, so what a silo keeps stays
    /// small whatever its merchants sell: at most this many products for each catalogue it holds.
    /// </summary>
    public const int MaxProducts = 500;
}
