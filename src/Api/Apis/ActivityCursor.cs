using System.Globalization;
using MeiLing.Grains.Activity;

namespace MeiLing.Api.Apis;

/// <summary>
/// The cursor of a user's activity log: the instant of the log's rows the next page starts at, in ticks, and how many of
/// that instant's entries the earlier pages showed (<c>ticks.shown</c>). A position in the user's own log, nothing of
/// anyone else's, as the disclosure ledger's cursor is.
/// </summary>
public static class ActivityCursor
{
    public static string? Write(ActivityPageStart? next) =>
        next is null ? null : string.Create(CultureInfo.InvariantCulture, $"{next.RowsAt.UtcTicks}.{next.EntriesShown}");

    /// <summary>Where <paramref name="cursor"/> points (nowhere, the newest, when null); false when it is not one <see cref="Write"/> gives.</summary>
    public static bool TryRead(string? cursor, out ActivityPageStart? from)
    {
        from = null;
        if (cursor is null)
        {
            return true;
        }

        var parts = cursor.Split('.');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var shown))
        {
            return false;
        }

        from = new ActivityPageStart(new DateTimeOffset(ticks, TimeSpan.Zero), shown);
        // One spelling per position: no leading zeros that read as the same place.
        return Write(from) == cursor;
    }
}
