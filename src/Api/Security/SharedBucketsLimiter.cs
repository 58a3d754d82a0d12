using System.Diagnostics;
using System.Threading.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>
/// A caller's partition that holds no bucket of its own: each request takes a permit from every bucket of a chain, in
/// order, each a key of a partitioned limiter that outlives the partition (<see cref="NetworkAllowances"/>). Two route
/// policies asking the same chain then spend one allowance: a partition of each policy's own gave a caller an allowance
/// per policy (the registration page's texts beside the API's). A bucket that refuses ends the chain; the permits the
/// buckets before it gave stay spent, as a fixed window's do.
/// </summary>
internal sealed class SharedBucketsLimiter(IReadOnlyList<(PartitionedRateLimiter<string> Buckets, string Key)> chain) : RateLimiter
{
    private long _lastUsed = Stopwatch.GetTimestamp();

    // Nothing of its own to lose: the middleware drops it once idle, and the shared buckets keep their counts.
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
        RateLimitLease? held = null;
        foreach (var (buckets, key) in chain)
        {
            var lease = buckets.AttemptAcquire(key, permitCount);
            held = held is null ? lease : BothLeases.Of(held, lease);
            if (!held.IsAcquired)
            {
                return held;
            }
        }

        return held!;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
        RateLimitLease? held = null;
        foreach (var (buckets, key) in chain)
        {
            var lease = await buckets.AcquireAsync(key, permitCount, cancellationToken);
            held = held is null ? lease : BothLeases.Of(held, lease);
            if (!held.IsAcquired)
            {
                return held;
            }
        }

        return held!;
    }
}
