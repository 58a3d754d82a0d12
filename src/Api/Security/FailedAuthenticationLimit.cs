using System.Threading.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4: how many wrong credentials (API keys, session tokens or cookies that do not authenticate) each
/// client address may present per minute (<c>MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE</c>). Once an
/// address has spent them, <see cref="FailedAuthenticationGate"/> refuses its credentials unexamined until
/// the minute is over.
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

    public void RecordFailure(string address) => _failures.AttemptAcquire(address).Dispose();

    public void Dispose() => _failures.Dispose();
}
