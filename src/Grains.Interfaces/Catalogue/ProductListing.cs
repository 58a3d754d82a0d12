namespace MeiLing.Grains.Catalogue;

/// <summary>
/// A product as the catalogue lists it: with its stock now (null when not tracked), whether it is archived, and who added
/// and archived it (<see cref="Product.AddedBy"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.product-listing")]
public sealed record ProductListing(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string? ImageUrl,
    [property: Id(4)] int? Stock,
    [property: Id(5)] bool Archived,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] string? AddedBy = null,
    [property: Id(8)] string? ArchivedBy = null);
