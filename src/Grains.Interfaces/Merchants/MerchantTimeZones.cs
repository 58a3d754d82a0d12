namespace MeiLing.Grains.Merchants;

/// <summary>A merchant's time zone: what its reports call a day. Asia/Shanghai unless the merchant named another.</summary>
public static class MerchantTimeZones
{
    public const string Default = "Asia/Shanghai";

    /// <summary>Whether <paramref name="id"/> names a time zone this host knows (IANA ids).</summary>
    public static bool IsKnown(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public static TimeZoneInfo Find(string? id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id ?? Default, out var zone) ? zone : TimeZoneInfo.FindSystemTimeZoneById(Default);

    /// <summary>The calendar day <paramref name="instant"/> falls on in the zone.</summary>
    public static DateOnly DayOf(TimeZoneInfo zone, DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The instants a calendar day begins and ends in the zone (a day with a clock change is 23 or 25 hours).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DayIn(TimeZoneInfo zone, DateOnly date)
    {
        static DateTimeOffset Start(TimeZoneInfo zone, DateOnly day)
        {
            var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            // Midnight skipped by a clock change: the day starts at the first instant that exists.
            while (zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(30);
            }

            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }

        return (Start(zone, date), Start(zone, date.AddDays(1)));
    }
}
