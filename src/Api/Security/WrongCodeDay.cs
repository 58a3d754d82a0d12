using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using MeiLing.Grains;

namespace MeiLing.Api.Security;

/// <summary>
/// A day of wrong one-time codes per key (a network, or a caller), sliding by the hour (P4.4). A code is admitted only
/// while the day has room for it and for every code of the key still being examined, before it is examined; a wrong one
/// is then spent from the day, a right one spends nothing.
/// </summary>
/// <remarks>
/// P4.4 (*reviewer*): checked before and counted after, a burst of concurrent guesses all passed the check before any
/// was counted, and those past the day were never counted at all: one burst an hour, about 1,440 guesses a day where
/// the day is 100.
/// </remarks>
public sealed class WrongCodeDay(int permitsPerDay, string refusal) : IDisposable
{
    /// <summary>
    /// The day slides by the hour: a caller refused is told to come back in an hour, when its uses of 24 hours before fall
    /// out, not after a whole fixed day whenever in it the refusal came.
    /// </summary>
    public static readonly TimeSpan Segment = TimeSpan.FromHours(1);

    private readonly PartitionedRateLimiter<string> _spent = SlidingDay(permitsPerDay);

    /// <summary>A day of <paramref name="permits"/> per key, sliding by <see cref="Segment"/> (the texts' day uses it too).</summary>
    public static PartitionedRateLimiter<string> SlidingDay(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromDays(1),
            SegmentsPerWindow = (int)(TimeSpan.FromDays(1) / Segment),
            QueueLimit = 0,
        }));

    // Codes of each key being examined now, admitted against its day before they are known to be right or wrong.
    private readonly ConcurrentDictionary<string, int> _examined = new(StringComparer.Ordinal);

    /// <summary>Admits one code of <paramref name="key"/> for examination; 429 <c>too-many-wrong-codes</c> when the day has no room.</summary>
    public Reservation Reserve(string key)
    {
        var examined = _examined.AddOrUpdate(key, 1, (_, count) => count + 1);
        var left = _spent.GetStatistics(key)?.CurrentAvailablePermits ?? permitsPerDay;
        if (examined > left)
        {
            Release(key);
            throw new DomainException(DomainErrorKind.TooManyRequests, "too-many-wrong-codes", refusal) { RetryAfter = Segment };
        }

        return new Reservation(this, key);
    }

    public void Dispose() => _spent.Dispose();

    private void Spend(string key) => _spent.AttemptAcquire(key).Dispose();

    // After the spend, so that no moment counts the code neither as examined nor as spent. The count goes when it is zero.
    private void Release(string key)
    {
        if (_examined.AddOrUpdate(key, 0, (_, count) => count - 1) <= 0)
        {
            _examined.TryRemove(new KeyValuePair<string, int>(key, 0));
        }
    }

    /// <summary>A code admitted for examination: spent from its key's day when wrong, released either way.</summary>
    public sealed class Reservation(WrongCodeDay day, string key) : IDisposable
    {
        private bool _released;

        public void Spend() => day.Spend(key);

        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                day.Release(key);
            }
        }
    }
}
