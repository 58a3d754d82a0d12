namespace MeiLing.Grains.Users;

/// <summary>
/// At most <c>limit</c> uses per fixed window, counted rather than listed: for an allowance as large as a day's, where
/// <see cref="Allowance"/>'s list of every use would grow with a load test's millions and be searched on each.
/// </summary>
public sealed class FixedWindowCount
{
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _count;

    /// <summary>The uses taken in the current window.</summary>
    public int Used => _count;

    /// <summary>How long the current window lasts from <paramref name="now"/>.</summary>
    public TimeSpan LeftOf(DateTimeOffset now, TimeSpan window) => _windowStart + window - now;

    /// <summary>Takes one use; throws 429 <c>quota-exceeded</c> (with when the window ends) when none is left.</summary>
    public void Take(DateTimeOffset now, TimeSpan window, int limit, string what)
    {
        if (now - window >= _windowStart)
        {
            _windowStart = now;
            _count = 0;
        }

        if (_count >= limit)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, "quota-exceeded", $"At most {limit} {what} per {Allowance.Describe(window)}.")
            {
                RetryAfter = _windowStart + window - now,
            };
        }

        _count++;
    }
}
