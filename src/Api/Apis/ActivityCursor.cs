using System.Globalization;
using System.Security.Cryptography;
using MeiLing.Grains.Activity;
using Microsoft.AspNetCore.DataProtection;

namespace MeiLing.Api.Apis;

/// <summary>
/// The cursor of a user's activity log: the instant of the log's rows the next page starts at, in ticks, and how many of
/// that instant's entries the earlier pages showed (<c>ticks.shown</c>). A position in the user's own log, nothing of
/// anyone else's, as the disclosure ledger's cursor is.
/// </summary>
public static class ActivityCursor
{
    // Support's cursors are sealed: a position is the instant of a flush of the log, to the tick, and how many of its
    // entries were shown; support's pages leave out entries the plain cursor would still time and count (the location
    // routes', SupportMasking).
    private const string SealedPurpose = "MeiLing.ActivityCursor.Support.v1";

    /// <summary>The cursor support is given: <see cref="Write"/>'s, sealed and bound to the user (<see cref="SealedUserCursor"/>).</summary>
    public static string? WriteSealed(IDataProtectionProvider protection, string userId, ActivityPageStart? next) =>
        Write(next) is { } plain ? protection.CreateProtector(SealedPurpose).Protect($"{userId}|{plain}") : null;

    /// <summary>Where a cursor <see cref="WriteSealed"/> gave for <paramref name="userId"/> points; false for any other.</summary>
    public static bool TryReadSealed(IDataProtectionProvider protection, string userId, string? cursor, out ActivityPageStart? from)
    {
        from = null;
        if (cursor is null)
        {
            return true;
        }

        string plain;
        try
        {
            plain = protection.CreateProtector(SealedPurpose).Unprotect(cursor);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return false;
        }

        var parts = plain.Split('|');
        return parts.Length == 2 && parts[0] == userId && TryRead(parts[1], out from);
    }

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
