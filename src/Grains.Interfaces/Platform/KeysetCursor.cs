using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MeiLing.Grains.Platform;

/// <summary>
/// The opaque cursor of a keyset-paged list: the time and id of the last row on a page. Only a cursor
/// exactly as <see cref="Encode"/> gave it decodes: a value made up by a client (a NUL, a stray byte)
/// once reached PostgreSQL, which refused it as an outage would be refused.
/// </summary>
public static class KeysetCursor
{
    public static string Encode(DateTimeOffset at, string id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{at.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{id}"));

    /// <summary>Whether <paramref name="cursor"/> is exactly one that <see cref="Encode"/> gives for an id of <paramref name="idPrefix"/>, and where it points.</summary>
    public static bool TryDecode(string cursor, string idPrefix, out DateTimeOffset at, out string id)
    {
        at = default;
        id = "";
        if (!Base64Url.IsValid(cursor))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks <= 0 || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !EntityId.IsWellFormed(parts[1], idPrefix))
        {
            return false;
        }

        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        id = parts[1];
        // One spelling per position: no padding, white space or leading zeros that decode to the same place.
        return Encode(at, id) == cursor;
    }
}
