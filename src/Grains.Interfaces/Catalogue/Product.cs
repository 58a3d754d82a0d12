namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A product in a merchant's catalogue; prices are integer fen. An archived product is listed but sells no more;
/// a stock-tracked one sells only what its stock grain (<see cref="IProductStockGrain"/>) holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.product")]
public sealed record Product(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string? ImageUrl,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] bool Archived = false,
    [property: Id(6)] bool StockTracked = false);
