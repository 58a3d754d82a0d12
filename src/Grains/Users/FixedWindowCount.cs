namespace MeiLing.Grains.Users;

/// <summary>
/// At most <c>limit</c> uses per fixed window, counted rather than listed: for an allowance as large as a day's, where
/// <see cref="Allowance"/>'s list of every use would grow with a load test's millions and be searched on each. Two
/// numbers, so a grain's persisted state may hold one and write it with each use at no cost that grows.
/// </summary>
public sealed class FixedWindowCount
{
    /// <summary>When the current window began (the first use after the last window ended).</summary>
    public DateTimeOffset WindowStart { get; set; } = DateTimeOffset.MinValue;

    /// <summary>The uses taken in the current window.</summary>
    public int Used { get; set; }

    /// <summary>How long the current window lasts from <paramref name="now"/>.</summary>
    public TimeSpan LeftOf(DateTimeOffset now, TimeSpan window) => WindowStart + window - now;

    /// <summary>Takes one use; throws 429 <c>quota-exceeded</c> (with when the window ends) when none is left.</summary>
    public void Take(DateTimeOffset now, TimeSpan window, int limit, string what) => TakeUpTo(now, window, limit, 1, what);

    /// <summary>
    /// Takes as many of <paramref name="wanted"/> uses as are left, at least one: how many it took. Throws 429
    /// <c>quota-exceeded</c> (with when the window ends) when none is left.
    /// </summary>
    public int TakeUpTo(DateTimeOffset now, TimeSpan window, int limit, int wanted, string what)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1);
        if (now - window >= WindowStart)
        {
            WindowStart = now;
            Used = 0;
        }

        if (Used >= limit)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, "quota-exceeded", $"At most {limit} {what} per {Allowance.Describe(window)}.")
            {
                RetryAfter = WindowStart + window - now,
            };
        }

        var taken = Math.Min(wanted, limit - Used);
        Used += taken;
        return taken;
    }
}
