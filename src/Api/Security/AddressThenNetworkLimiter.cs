using System.Threading.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>
/// One client address's bucket, then its IPv6 /48's, shared by every /64 in it (<see cref="NetworkAllowances"/>). An
/// address its own bucket refuses takes nothing from the network's, so one noisy /64 cannot spend its neighbours'
/// allowance. A request the network refuses costs the address one of its own permits for each try (the middleware
/// tries AttemptAcquire, then AcquireAsync): the network's bucket is then the binding limit anyway.
/// </summary>
internal sealed class AddressThenNetworkLimiter(ReplenishingRateLimiter own, PartitionedRateLimiter<string> networks, string network) : ReplenishingRateLimiter
{
    // The address's bucket is replenished by the partitioned limiter's one timer, as RateLimitPartition's own factories
    // arrange: a timer per address would be one per client.
    public override bool IsAutoReplenishing => own.IsAutoReplenishing;

    public override TimeSpan ReplenishmentPeriod => own.ReplenishmentPeriod;

    public override bool TryReplenish() => own.TryReplenish();

    public override TimeSpan? IdleDuration => own.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => own.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var lease = own.AttemptAcquire(permitCount);
        return lease.IsAcquired ? BothLeases.Of(lease, networks.AttemptAcquire(network, permitCount)) : lease;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var lease = await own.AcquireAsync(permitCount, cancellationToken);
        return lease.IsAcquired ? BothLeases.Of(lease, await networks.AcquireAsync(network, permitCount, cancellationToken)) : lease;
    }

    // The networks' limiter is shared by every address's and outlives each: it is NetworkAllowances' to dispose.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            own.Dispose();
        }
    }
}
