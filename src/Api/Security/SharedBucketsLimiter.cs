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
/// <remarks>
/// A bucket's refusal carries the bucket's wait; a sliding window's names none, so its link in the chain says what to tell
/// the caller (<see cref="SharedBucket.RetryAfter"/>).
/// </remarks>
internal sealed class SharedBucketsLimiter(IReadOnlyList<SharedBucket> chain) : RateLimiter
{
    private long _lastUsed = Stopwatch.GetTimestamp();

    // Nothing of its own to lose: the middleware drops it once idle, and the shared buckets keep their counts.
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
        RateLimitLease? held = null;
        foreach (var bucket in chain)
        {
            var lease = bucket.Refusal(bucket.Buckets.AttemptAcquire(bucket.Key, permitCount));
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
        foreach (var bucket in chain)
        {
            var lease = bucket.Refusal(await bucket.Buckets.AcquireAsync(bucket.Key, permitCount, cancellationToken));
            held = held is null ? lease : BothLeases.Of(held, lease);
            if (!held.IsAcquired)
            {
                return held;
            }
        }

        return held!;
    }
}

/// <summary>One shared bucket of a chain: the limiter that holds it, its key, and the wait to tell a caller it refuses when its own refusal names none.</summary>
internal sealed record SharedBucket(PartitionedRateLimiter<string> Buckets, string Key, TimeSpan? RetryAfter = null)
{
    /// <summary>The lease as it is, or a refusal naming <see cref="RetryAfter"/> when the bucket's names no wait.</summary>
    public RateLimitLease Refusal(RateLimitLease lease)
    {
        if (lease.IsAcquired || RetryAfter is not { } wait || lease.TryGetMetadata(MetadataName.RetryAfter, out _))
        {
            return lease;
        }

        lease.Dispose();
        return new RefusedWithWait(wait);
    }

    private sealed class RefusedWithWait(TimeSpan wait) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
