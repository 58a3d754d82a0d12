namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A product in a merchant's catalogue; prices are integer fen. An archived product is listed but sells no more;
/// a stock-tracked one sells only what its stock grain (<see cref="IProductStockGrain"/>) holds. <see cref="AddedBy"/> and
/// <see cref="ArchivedBy"/> name who added and archived it (P1.7): a staff member, an operator, or null for the merchant's
/// own key (and for products added or archived before they were kept).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.product")]
public sealed record Product(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string? ImageUrl,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] bool Archived = false,
    [property: Id(6)] bool StockTracked = false,
    [property: Id(7)] string? AddedBy = null,
    [property: Id(8)] string? ArchivedBy = null);
