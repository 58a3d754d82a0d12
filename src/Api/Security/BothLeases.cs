using System.Threading.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>A request acquired on two buckets, one after the other; released together.</summary>
internal sealed class BothLeases(RateLimitLease first, RateLimitLease second) : RateLimitLease
{
    public override bool IsAcquired => true;

    public override IEnumerable<string> MetadataNames => first.MetadataNames.Union(second.MetadataNames);

    public override bool TryGetMetadata(string metadataName, out object? metadata) =>
        first.TryGetMetadata(metadataName, out metadata) || second.TryGetMetadata(metadataName, out metadata);

    /// <summary>
    /// Both leases when the second bucket gave one too; else the second's refusal (its Retry-After is the wait that
    /// counts), the first bucket's permit released.
    /// </summary>
    public static RateLimitLease Of(RateLimitLease first, RateLimitLease second)
    {
        if (second.IsAcquired)
        {
            return new BothLeases(first, second);
        }

        first.Dispose();
        return second;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
