namespace MeiLing.Grains.Platform;

/// <summary>
/// Dates told to people as a day (a transfer's, a closing's): the period runs to the end of that UTC day, so a notice that
/// names the day and the deadline it enforces agree, whatever offset the instant was given in.
/// </summary>
internal static class UtcDays
{
    /// <summary>The first instant of the UTC day after the one <paramref name="instant"/> falls in.</summary>
    public static DateTimeOffset EndOfDay(DateTimeOffset instant) => new(instant.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    /// <summary><paramref name="instant"/> when it is a UTC midnight already, otherwise the end of its UTC day.</summary>
    public static DateTimeOffset WholeDay(DateTimeOffset instant) => instant.UtcTicks % TimeSpan.TicksPerDay == 0 ? instant.ToUniversalTime() : EndOfDay(instant);

    /// <summary>The last day of a period that ends at <paramref name="end"/> (a UTC midnight), as a notice names it.</summary>
    public static string LastDay(DateTimeOffset end) => end.UtcDateTime.AddTicks(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
