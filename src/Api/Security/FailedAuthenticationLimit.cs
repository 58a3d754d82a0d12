using System.Threading.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4: how many wrong credentials (API keys the platform does not know, tokens it did not sign) each
/// client address (an IPv6 one by its /64) may present per minute (<c>MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE</c>).
/// Once an address has spent them, <see cref="FailedAuthenticationGate"/> answers its further wrong credentials
/// 429 until the minute is over; valid ones still go through (an API key when this host resolved it lately, <see cref="RecentlyValidKeys"/>).
/// </summary>
public sealed class FailedAuthenticationLimit(ApiSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.RateLimitFailedAuthPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>A lease that is acquired while the address has failures left; zero permits asks without spending one.</summary>
    public RateLimitLease Check(string address) => _failures.AttemptAcquire(address, 0);

    /// <summary>Whether the address may still present a wrong credential this minute.</summary>
    public bool HasFailuresLeft(string address)
    {
        using var lease = Check(address);
        return lease.IsAcquired;
    }

    public void RecordFailure(string address) => _failures.AttemptAcquire(address).Dispose();

    public void Dispose() => _failures.Dispose();
}
