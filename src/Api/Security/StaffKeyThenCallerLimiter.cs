using System.Threading.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>
/// The global limiter: a merchant's staff member's key first spends a bucket of its own, then its merchant's shared one,
/// so one till's key (a runaway script, a dishonest cashier) cannot spend the whole merchant's allowance (P4.4). Every
/// other request goes straight to its caller's bucket, paying nothing for the chain. A key refused its own bucket takes
/// nothing from the merchant's. A request the merchant's bucket refuses costs the key one of its own tokens for each try
/// (the middleware tries AttemptAcquire, then AcquireAsync): the merchant's bucket is then the binding limit anyway.
/// </summary>
internal sealed class StaffKeyThenCallerLimiter(
    PartitionedRateLimiter<HttpContext> staffKeys,
    PartitionedRateLimiter<HttpContext> callers) : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => callers.GetStatistics(resource);

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        if (!IsStaffKey(resource))
        {
            return callers.AttemptAcquire(resource, permitCount);
        }

        var own = staffKeys.AttemptAcquire(resource, permitCount);
        return own.IsAcquired ? BothLeases.Of(own, callers.AttemptAcquire(resource, permitCount)) : own;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (!IsStaffKey(resource))
        {
            return await callers.AcquireAsync(resource, permitCount, cancellationToken);
        }

        var own = await staffKeys.AcquireAsync(resource, permitCount, cancellationToken);
        return own.IsAcquired ? BothLeases.Of(own, await callers.AcquireAsync(resource, permitCount, cancellationToken)) : own;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            staffKeys.Dispose();
            callers.Dispose();
        }
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await staffKeys.DisposeAsync();
        await callers.DisposeAsync();
    }

    internal static bool IsStaffKey(HttpContext context) => context.User.MerchantStaffId() is not null;
}
