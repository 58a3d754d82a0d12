namespace MeiLing.Grains.Catalogue;

/// <summary>A change to a product; a null field is left as it is.</summary>
[GenerateSerializer, Immutable, Alias("meiling.product-edit")]
public sealed record ProductEdit(
    [property: Id(0)] string? Name,
    [property: Id(1)] long? PriceFen,
    [property: Id(2)] string? ImageUrl);
