using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using MeiLing.Grains;
using MeiLing.Grains.Platform;

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
/// <para>P4.4 (*reviewer*): a caller's day (an agent's, a child's, a till's key's) held here alone was a day per API host,
/// and a fresh one at each restart or deploy. Its reservation also names the caller's days across the cluster
/// (<see cref="ClusterDay"/>), admitted the same way by their allowance grains once this host's day has admitted the code;
/// this host's day stays in front, so a burst past it costs no grain call.</para>
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

    /// <summary>
    /// Admits one code of <paramref name="key"/> for examination; 429 <c>too-many-wrong-codes</c> when the day has no room.
    /// The code is then to be admitted by the days <paramref name="acrossCluster"/> too (<see cref="Reservation.AdmitAcrossClusterAsync"/>).
    /// </summary>
    public Reservation Reserve(string key, params IReadOnlyList<ClusterDay> acrossCluster)
    {
        var examined = _examined.AddOrUpdate(key, 1, (_, count) => count + 1);
        var left = _spent.GetStatistics(key)?.CurrentAvailablePermits ?? permitsPerDay;
        if (examined > left)
        {
            Release(key);
            throw new DomainException(DomainErrorKind.TooManyRequests, "too-many-wrong-codes", refusal) { RetryAfter = Segment };
        }

        return new Reservation(this, key, acrossCluster);
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

    /// <summary>
    /// One party's day of wrong codes across the cluster (P4.4): its allowance grain, which every API host asks, and the
    /// day's size as this host's settings have it.
    /// </summary>
    public readonly record struct ClusterDay(IDailyAllowanceGrain Day, int PerDay)
    {
        public static ClusterDay Of(IGrainFactory grains, DailyAllowanceKind kind, string party, int perDay) =>
            new(grains.GetGrain<IDailyAllowanceGrain>(IDailyAllowanceGrain.KeyOf(kind, party)), perDay);
    }

    /// <summary>
    /// A code admitted for examination: spent from its key's day, and from its days across the cluster, when wrong;
    /// released either way.
    /// </summary>
    public sealed class Reservation(WrongCodeDay day, string key, IReadOnlyList<ClusterDay> acrossCluster) : IDisposable
    {
        private bool _released;

        // How many of the days across the cluster admitted the code, in order: those are the ones to settle it with.
        private int _admitted;

        /// <summary>
        /// Admits the code by each of its days across the cluster in turn, before it is examined; refused by one (429
        /// <c>too-many-wrong-codes</c>), it is let go by those that had admitted it.
        /// </summary>
        public async Task AdmitAcrossClusterAsync()
        {
            try
            {
                while (_admitted < acrossCluster.Count)
                {
                    await acrossCluster[_admitted].Day.AdmitCode(acrossCluster[_admitted].PerDay);
                    _admitted++;
                }
            }
            catch
            {
                await LetGoAcrossClusterAsync();
                throw;
            }
        }

        /// <summary>
        /// Spends a wrong code from its day here and from its days across the cluster, all of them even if one cannot be
        /// told (that one's failure is the answer then: the code is wrong either way).
        /// </summary>
        public async Task SpendAsync()
        {
            day.Spend(key);
            await Task.WhenAll(Admitted().Select(admitted => admitted.SettleCode(wrong: true)));
        }

        /// <summary>
        /// Lets a code that was not wrong go from its days across the cluster, costing them nothing. A day that cannot be
        /// told now holds the code only until its examination's time is up: the code's answer (a payment made) is not
        /// turned into a failure for that.
        /// </summary>
        public async Task LetGoAcrossClusterAsync()
        {
            await Task.WhenAll(Admitted().Select(async admitted =>
            {
                try
                {
                    await admitted.SettleCode(wrong: false);
                }
                catch (Exception)
                {
                    // Held by the grain until DailyAllowanceGrain.ExaminationHeld passes, then let go by itself.
                }
            }));
        }

        // The days that admitted the code, once: settled, they are no longer this reservation's to settle.
        private IDailyAllowanceGrain[] Admitted() => [.. acrossCluster.Take(Interlocked.Exchange(ref _admitted, 0)).Select(admitted => admitted.Day)];

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
