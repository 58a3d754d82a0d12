using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.DataProtection;

namespace MeiLing.Api.Apis;

/// <summary>
/// A user's location samples as support pages them (P1.7, P4.4, A.2): coarsened to the city and the hour, each page ending
/// on a whole hour, and the cursor sealed and bound to the user. Support's cursor was the exact instant of the oldest sample
/// shown, and any instant was taken as a cursor (*reviewer*): paging one sample at a time gave back each sample's minute and
/// how many there were, and a made-up cursor asked "is there a sample before this instant?" until it found each one, the
/// track the coarsening hides. Now a page holds whole hours only (an hour it would cut is left to the next page), the next
/// page starts at an hour, and a cursor support did not get (the user's, a changed or a made-up one) is 400. Support's
/// <c>limit</c> is not taken: where a page of k samples was cut told in which hour the k-th newest sample fell, and trying
/// each k counted the samples of every hour.
/// </summary>
public static class SupportLocationPages
{
    private const string Purpose = "meiling.support-location-cursor.v1";

    // Samples read for a page of support's, whatever limit it asks.
    private const int PageSize = 1000;

    // An hour's samples are read whole when a page holds nothing else: a user records at most 60 a minute.
    private const int WholeHour = 3600;

    /// <summary>Where support's <paramref name="cursor"/> points (the newest, when null); false when it is not one this class gave for <paramref name="userId"/>.</summary>
    public static bool TryRead(IDataProtectionProvider protection, string userId, string? cursor, out DateTimeOffset? before)
    {
        before = null;
        if (cursor is null)
        {
            return true;
        }

        if (!SealedUserCursor.TryRead(protection, Purpose, userId, cursor, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        before = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>The page of samples before <paramref name="before"/> (an hour, or null) that support reads, and its cursor.</summary>
    public static async Task<ItemPage<LocationSample>> ReadAsync(
        IUserLocations user, IDataProtectionProvider protection, string userId, DateTimeOffset? before)
    {
        var page = await user.GetLocationPage(before, PageSize);
        if (page.NextBefore is null || page.Items.Count == 0)
        {
            return new ItemPage<LocationSample>(page.Items.MaskedForSupport(), null);
        }

        // The page was cut: the oldest hour it reaches may go on past it, so that hour is the next page's.
        var cutHour = HourOf(page.Items[^1].At);
        IReadOnlyList<LocationSample> shown = [.. page.Items.Where(sample => sample.At >= cutHour.AddHours(1))];
        var next = cutHour.AddHours(1);
        if (shown.Count == 0)
        {
            // Every sample of the page was in that one hour: the hour is shown whole, and the next page starts before it.
            var whole = await user.GetLocationPage(before, WholeHour);
            shown = [.. whole.Items.Where(sample => sample.At >= cutHour)];
            next = cutHour;
            if (whole.NextBefore is null && shown.Count == whole.Items.Count)
            {
                return new ItemPage<LocationSample>(shown.MaskedForSupport(), null);
            }
        }

        return new ItemPage<LocationSample>(shown.MaskedForSupport(), Write(protection, userId, next));
    }

    private static string Write(IDataProtectionProvider protection, string userId, DateTimeOffset before) =>
        SealedUserCursor.Write(protection, Purpose, userId, before.UtcTicks);

    private static DateTimeOffset HourOf(DateTimeOffset at) => at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerHour));
}
