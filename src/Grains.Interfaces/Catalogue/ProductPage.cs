namespace MeiLing.Grains.Catalogue;

/// <summary>A page of the catalogue, by SKU; <see cref="More"/> when products follow the page's last SKU.</summary>
[GenerateSerializer, Immutable, Alias("meiling.product-page")]
public sealed record ProductPage(
    [property: Id(0)] IReadOnlyList<ProductListing> Items,
    [property: Id(1)] bool More);
