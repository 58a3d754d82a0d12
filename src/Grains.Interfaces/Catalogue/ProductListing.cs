namespace MeiLing.Grains.Catalogue;

/// <summary>A product as the catalogue lists it: with its stock now (null when not tracked) and whether it is archived.</summary>
[GenerateSerializer, Immutable, Alias("meiling.product-listing")]
public sealed record ProductListing(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string? ImageUrl,
    [property: Id(4)] int? Stock,
    [property: Id(5)] bool Archived,
    [property: Id(6)] DateTimeOffset CreatedAt);
