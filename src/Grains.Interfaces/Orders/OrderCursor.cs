using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Orders;

/// <summary>
/// The opaque cursor of an order listing: the creation time and id of the last order on a page. The API
/// checks a cursor before it asks for a page, and the listing again before its query.
/// </summary>
public static class OrderCursor
{
    public static string Encode(DateTimeOffset createdAt, string orderId) => KeysetCursor.Encode(createdAt, orderId);

    /// <summary>Whether <paramref name="cursor"/> is exactly one that <see cref="Encode"/> gives, and where it points.</summary>
    public static bool TryDecode(string cursor, out DateTimeOffset createdAt, out string orderId) =>
        KeysetCursor.TryDecode(cursor, EntityId.OrderPrefix, out createdAt, out orderId);
}
