using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using MeiLing.Grains;

namespace MeiLing.Api.Security;

/// <summary>
/// P4.4: one-time codes asked for from one IPv6 /48, on top of each /64's own allowance
/// (<see cref="RateLimits.CodesPolicy"/>). A sender handed a /48 holds 65,536 /64s, each with an allowance of its own:
/// rotating through them, it had the platform text any numbers it liked (paid texts, SMS pumping) at 65,536 times one
/// subscriber's rate. The /48's allowance is larger than a /64's, so the other subscribers a carrier numbers from the
/// same /48 still get their codes. IPv4 addresses are counted one by one, as before.
/// </summary>
public sealed class CodeSendsPerNetwork(ApiSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress?> _networks = PartitionedRateLimiter.Create<IPAddress?, string>(address =>
        NetworkOf(address) is { } network
            ? RateLimitPartition.GetFixedWindowLimiter(network, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.RateLimitCodesPerMinutePerNetwork,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter("ipv4"));

    /// <summary>Takes one send from the caller's /48's allowance; 429 <c>rate-limited</c> with Retry-After beyond it.</summary>
    public void Take(HttpContext context)
    {
        using var lease = _networks.AttemptAcquire(context.Connection.RemoteIpAddress);
        if (!lease.IsAcquired)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, "rate-limited",
                "Too many codes asked for from this network; retry later.")
            {
                RetryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1),
            };
        }
    }

    public void Dispose() => _networks.Dispose();

    /// <summary>The /48 of an IPv6 address (not one mapped from IPv4); null otherwise.</summary>
    public static string? NetworkOf(IPAddress? address)
    {
        if (address is null || address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[6..].Clear();
        return new IPAddress(bytes) + "/48";
    }
}
