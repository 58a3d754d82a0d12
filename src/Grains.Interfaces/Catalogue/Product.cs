namespace MeiLing.Grains.Catalogue;

/// <summary>A product in a merchant's catalogue; prices are integer fen.</summary>
[GenerateSerializer, Immutable, Alias("meiling.product")]
public sealed record Product(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string? ImageUrl,
    [property: Id(4)] DateTimeOffset CreatedAt);
