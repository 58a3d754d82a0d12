using System.Buffers.Text;
using System.Globalization;
using System.Text;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Orders;

/// <summary>
/// The opaque cursor of an order listing: the creation time and id of the last order on a page. The API
/// checks a cursor before it asks for a page and the listing again before its query: a value made up by a
/// client (a NUL, a stray byte) once reached PostgreSQL, which refused it as an outage would be refused.
/// </summary>
public static class OrderCursor
{
    public static string Encode(DateTimeOffset createdAt, string orderId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{orderId}"));

    /// <summary>Whether <paramref name="cursor"/> is exactly one that <see cref="Encode"/> gives, and where it points.</summary>
    public static bool TryDecode(string cursor, out DateTimeOffset createdAt, out string orderId)
    {
        createdAt = default;
        orderId = "";
        if (!Base64Url.IsValid(cursor))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks <= 0 || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !EntityId.IsWellFormed(parts[1], EntityId.OrderPrefix))
        {
            return false;
        }

        createdAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        orderId = parts[1];
        // One spelling per position: no padding, white space or leading zeros that decode to the same place.
        return Encode(createdAt, orderId) == cursor;
    }
}
