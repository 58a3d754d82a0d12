namespace MeiLing.Grains.Orders;

/// <summary>A merchant placing an order for a user; lines are priced by the grain, never by the client.</summary>
[GenerateSerializer, Immutable, Alias("meiling.place-order")]
public sealed record PlaceOrder(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string UserId,
    [property: Id(2)] IReadOnlyList<OrderItem> Items,
    [property: Id(3)] Delivery? Delivery);
