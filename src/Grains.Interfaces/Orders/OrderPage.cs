namespace MeiLing.Grains.Orders;

/// <summary>A line of an order listing.</summary>
[GenerateSerializer, Immutable, Alias("meiling.order-summary")]
public sealed record OrderSummary(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string MerchantId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] long TotalFen,
    [property: Id(5)] OrderStatus Status);

/// <summary>A page of an order listing, newest first, with the cursor of the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("meiling.order-page")]
public sealed record OrderPage(
    [property: Id(0)] IReadOnlyList<OrderSummary> Items,
    [property: Id(1)] string? NextCursor);

/// <summary>Order listings, served by any silo straight from the order index.</summary>
[Alias("meiling.order-listings")]
public interface IOrderListingsGrain : IGrainWithIntegerKey
{
    public const int MaxPageSize = 100;

    [Alias("by-merchant")]
    Task<OrderPage> ByMerchant(string merchantId, string? cursor, int limit);

    [Alias("by-user")]
    Task<OrderPage> ByUser(string userId, string? cursor, int limit);
}
