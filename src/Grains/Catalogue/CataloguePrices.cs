using System.Collections.Frozen;

namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A catalogue's prices as a silo keeps them (<see cref="Platform.SiloFacts"/>), or the mark that the catalogue is too
/// large to copy (<see cref="PriceList.MaxProducts"/>) and is quoted by its grain.
/// </summary>
public sealed class CataloguePrices
{
    private CataloguePrices(FrozenDictionary<string, Product>? products) => Products = products;

    /// <summary>The products by SKU; null when the catalogue quotes for itself.</summary>
    public FrozenDictionary<string, Product>? Products { get; }

    public static CataloguePrices Of(PriceList? list) =>
        new(list?.Products.ToFrozenDictionary(product => product.Sku, StringComparer.Ordinal));
}
