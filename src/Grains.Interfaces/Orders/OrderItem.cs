namespace MeiLing.Grains.Orders;

/// <summary>What a client asks for: a SKU and a quantity; never a price.</summary>
[GenerateSerializer, Immutable, Alias("meiling.order-item")]
public sealed record OrderItem(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Quantity);

/// <summary>An order line priced from the merchant's catalogue.</summary>
[GenerateSerializer, Immutable, Alias("meiling.order-line")]
public sealed record OrderLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] long UnitPriceFen,
    [property: Id(3)] int Quantity)
{
    public long TotalFen => UnitPriceFen * Quantity;
}
