namespace MeiLing.Grains.Orders;

/// <summary>
/// A merchant placing an order for a user, or a walk-in sale (no user, no delivery, no personal data);
/// lines are priced by the grain, never by the client. <see cref="StaffId"/> names the merchant's staff
/// member who placed it (null for the merchant's own key).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.place-order")]
public sealed record PlaceOrder(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string? UserId,
    [property: Id(2)] IReadOnlyList<OrderItem> Items,
    [property: Id(3)] Delivery? Delivery,
    [property: Id(4)] string? StaffId = null)
{
    public bool IsWalkIn => UserId is null;
}
