using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Catalogue;

/// <summary>A merchant's catalogue, keyed by merchant id: the only source of order prices.</summary>
[Alias("meiling.catalogue")]
public interface ICatalogueGrain : IGrainWithStringKey
{
    public const long MaxPriceFen = 100_000_000;

    /// <summary>Adds a product; a SKU is added once (409 after); prices are 1 to <see cref="MaxPriceFen"/> fen.</summary>
    [Alias("add")]
    Task<Product> Add(Product product);

    /// <summary>Every product, by SKU.</summary>
    [Alias("list")]
    [ReadOnly]
    Task<IReadOnlyList<Product>> List();

    /// <summary>Prices order items from the catalogue; 400 <c>unknown-sku</c> for a SKU it does not sell.</summary>
    [Alias("price")]
    [ReadOnly]
    Task<IReadOnlyList<OrderLine>> Price(IReadOnlyList<OrderItem> items);
}
