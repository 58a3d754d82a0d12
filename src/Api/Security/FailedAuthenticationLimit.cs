using System.Net;
using System.Threading.RateLimiting;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4: how many wrong credentials (API keys the platform does not know, tokens it did not sign) each
/// client address (an IPv6 one by its /64) may present per minute (<c>MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE</c>),
/// and every /64 of one IPv6 /48 together (<c>MEILING_RATE_LIMIT_FAILED_AUTH_PER_MINUTE_PER_NETWORK</c>): a sender handed
/// a /48 holds 65,536 /64s, and with a bucket per /64 alone it had as many allowances of made-up keys, each looked up
/// (*reviewer*), as for sign-ins and texted codes (<see cref="NetworkAllowances"/>).
/// Once an address or its /48 has spent them, <see cref="FailedAuthenticationGate"/> answers its further wrong credentials
/// 429 until the minute is over; valid ones still go through (an API key when this host resolved it lately, <see cref="RecentlyValidKeys"/>).
/// </summary>
public sealed class FailedAuthenticationLimit(ApiSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PerMinute(settings.RateLimitFailedAuthPerMinute);
    private readonly PartitionedRateLimiter<string> _failuresPerNetwork = PerMinute(settings.RateLimitFailedAuthPerMinutePerNetwork);

    /// <summary>
    /// A lease that is acquired while the address and its /48 have failures left (zero permits: asks without spending one);
    /// otherwise the refused one, which says when to try again.
    /// </summary>
    public RateLimitLease Check(IPAddress? address)
    {
        var own = _failures.AttemptAcquire(RateLimits.ClientAddress(address), 0);
        if (!own.IsAcquired || NetworkAllowances.NetworkOf(address) is not { } network)
        {
            return own;
        }

        var ofNetwork = _failuresPerNetwork.AttemptAcquire(network, 0);
        if (ofNetwork.IsAcquired)
        {
            ofNetwork.Dispose();
            return own;
        }

        own.Dispose();
        return ofNetwork;
    }

    /// <summary>Whether the address may still present a wrong credential this minute.</summary>
    public bool HasFailuresLeft(IPAddress? address)
    {
        using var lease = Check(address);
        return lease.IsAcquired;
    }

    public void RecordFailure(IPAddress? address)
    {
        _failures.AttemptAcquire(RateLimits.ClientAddress(address)).Dispose();
        if (NetworkAllowances.NetworkOf(address) is { } network)
        {
            _failuresPerNetwork.AttemptAcquire(network).Dispose();
        }
    }

    public void Dispose()
    {
        _failures.Dispose();
        _failuresPerNetwork.Dispose();
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
}
