using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Catalogue;

/// <summary>Order items priced by the catalogue, and which of their SKUs take stock.</summary>
[GenerateSerializer, Immutable, Alias("meiling.order-quote")]
public sealed record OrderQuote(
    [property: Id(0)] IReadOnlyList<OrderLine> Lines,
    [property: Id(1)] IReadOnlyList<string> StockedSkus);
