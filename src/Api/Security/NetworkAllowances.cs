using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using MeiLing.Grains;
using MeiLing.Grains.Platform;

namespace MeiLing.Api.Security;

/// <summary>
/// The per-minute allowances of the anonymous routes that cost the most (P4.4): credentials (registering, signing in,
/// password resets, follow-ups: a slow password hash or a lookup by phone each) and one-time codes (a paid text each).
/// Each client address has a bucket (<see cref="RateLimits.ClientAddress(IPAddress?)"/>: an IPv6 address by its /64), and
/// every /64 of one IPv6 /48 then shares the /48's, larger one. A sender handed a /48 holds 65,536 /64s: with a bucket
/// per /64 alone it had 65,536 allowances, for password spraying as for paid texts. The other subscribers a carrier
/// numbers from one /48 still get in: the /48's allowance is ten times or more a /64's. IPv4 addresses are counted one
/// by one.
/// <para>It also holds this host's days of wrong codes (<see cref="WrongCodeDay"/>); a caller's days are counted across the
/// cluster as well, in allowance grains (<see cref="WrongCodeDay.ClusterDay"/>).</para>
/// </summary>
public sealed class NetworkAllowances(ApiSettings settings, IClusterClient cluster) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _credentialsPerNetwork = PerNetworkPerMinute(settings.RateLimitCredentialsPerMinutePerNetwork);
    private readonly PartitionedRateLimiter<string> _codesPerAddress = PerKey(settings.RateLimitCodesPerMinute, TimeSpan.FromMinutes(1));
    private readonly PartitionedRateLimiter<string> _codesPerNetwork = PerNetworkPerMinute(settings.RateLimitCodesPerMinutePerNetwork);
    private readonly PartitionedRateLimiter<string> _codesPerDay = PerDay(settings.RateLimitCodesPerDay);
    private readonly WrongCodeDay _wrongCodesPerDay = new(
        settings.RateLimitWrongCodesPerDay, $"At most {settings.RateLimitWrongCodesPerDay} wrong codes a day from one network; try again later.");

    private readonly WrongCodeDay _wrongMemberCodesPerStaffKey = new(
        settings.RateLimitWrongMemberCodesPerStaffKeyPerDay,
        $"At most {settings.RateLimitWrongMemberCodesPerStaffKeyPerDay} wrong member codes a day from one till's key; try again later.");

    private readonly WrongCodeDay _wrongCodesPerCaller = new(
        settings.RateLimitWrongCodesPerCallerPerDay, $"At most {settings.RateLimitWrongCodesPerCallerPerDay} wrong codes a day from one caller; try again later.");

    /// <summary>The bucket of a request that registers, signs in or otherwise presents credentials.</summary>
    public RateLimitPartition<string> Credentials(HttpContext context, string bucket = "") =>
        Partition(context, bucket, settings.RateLimitCredentialsPerMinute, _credentialsPerNetwork);

    /// <summary>
    /// The buckets of a request that has a code texted, whichever route asks (the API, the registration page): the
    /// address's minute, its IPv6 /48's minute, then the day of an IPv4 address or of an IPv6 /48. Each text is paid for:
    /// at the minute's allowance alone one address had 14,400 texted a day to numbers it cycled through, and a /48 ten
    /// times that. The day is counted by /48, not /64, so that a sender's 65,536 /64s make one bucket, not one each.
    /// </summary>
    public RateLimitPartition<string> Codes(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        var own = RateLimits.ClientAddress(address);
        var network = NetworkOf(address);
        List<SharedBucket> chain = [new(_codesPerAddress, own)];
        if (network is not null)
        {
            chain.Add(new(_codesPerNetwork, network));
        }

        chain.Add(new(_codesPerDay, network ?? own, RetryAfter: DaySegment));
        return new("codes:" + own, _ => new SharedBucketsLimiter(chain));
    }

    /// <summary>
    /// Admits a code presented without a session from an IPv4 address or IPv6 /48 only while its day of wrong ones
    /// (<see cref="ApiSettings.RateLimitWrongCodesPerDay"/>) has room for it and for every code of the network still being
    /// examined, before the code is examined: 429 <c>too-many-wrong-codes</c> otherwise (<see cref="WrongCodeDay"/>).
    /// </summary>
    public WrongCodeDay.Reservation ReserveWrongCode(HttpContext context) => _wrongCodesPerDay.Reserve(DayKey(context));

    /// <summary>
    /// Admits a code presented under a session or a staff key (a child's guardian confirmation, support's confirmation of a
    /// request it filed) within the caller's own day of wrong ones (<see cref="ApiSettings.RateLimitWrongCodesPerCallerPerDay"/>):
    /// this host's, then the cluster's, which every API host counts alike.
    /// </summary>
    public WrongCodeDay.Reservation ReserveCallersWrongCode(string callerId) =>
        _wrongCodesPerCaller.Reserve(callerId, AcrossCluster(DailyAllowanceKind.WrongCodesByCaller, callerId, settings.RateLimitWrongCodesPerCallerPerDay));

    /// <summary>
    /// Admits a member code a till presents within its staff key's own day of wrong ones
    /// (<see cref="ApiSettings.RateLimitWrongMemberCodesPerStaffKeyPerDay"/>; the merchant's own key, <paramref name="staffId"/>
    /// null, has one too), this host's then the cluster's, and within the merchant's day across the cluster, all its keys
    /// together (<see cref="ApiSettings.RateLimitWrongMemberCodesPerMerchantPerDay"/>).
    /// </summary>
    /// <remarks>
    /// P1.6, P4.4 (*reviewer*): counted by key alone, a manager enrolling cashier keys had a fresh day of guesses with each.
    /// </remarks>
    public WrongCodeDay.Reservation ReserveTillsWrongMemberCode(string merchantId, string? staffId) =>
        _wrongMemberCodesPerStaffKey.Reserve(
            staffId ?? merchantId,
            AcrossCluster(DailyAllowanceKind.WrongMemberCodesByStaffKey, staffId ?? merchantId, settings.RateLimitWrongMemberCodesPerStaffKeyPerDay),
            AcrossCluster(DailyAllowanceKind.WrongMemberCodesByMerchant, merchantId, settings.RateLimitWrongMemberCodesPerMerchantPerDay));

    private WrongCodeDay.ClusterDay AcrossCluster(DailyAllowanceKind kind, string party, int perDay) =>
        WrongCodeDay.ClusterDay.Of(cluster, kind, party, perDay);

    // The day's key, as the codes' day: an IPv4 address, or an IPv6 address's /48.
    private static string DayKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        return NetworkOf(address) ?? RateLimits.ClientAddress(address);
    }

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

    public void Dispose()
    {
        _credentialsPerNetwork.Dispose();
        _codesPerAddress.Dispose();
        _codesPerNetwork.Dispose();
        _codesPerDay.Dispose();
        _wrongCodesPerDay.Dispose();
        _wrongCodesPerCaller.Dispose();
        _wrongMemberCodesPerStaffKey.Dispose();
    }

    private static RateLimitPartition<string> Partition(HttpContext context, string bucket, int permitsPerMinute, PartitionedRateLimiter<string> networks)
    {
        var address = context.Connection.RemoteIpAddress;
        var network = NetworkOf(address);
        return new(bucket + RateLimits.ClientAddress(address), _ => network is null
            ? PerMinute(permitsPerMinute)
            : new AddressThenNetworkLimiter(PerMinute(permitsPerMinute), networks, network));
    }

    private static PartitionedRateLimiter<string> PerNetworkPerMinute(int permits) => PerKey(permits, TimeSpan.FromMinutes(1));

    private static readonly TimeSpan DaySegment = WrongCodeDay.Segment;

    private static PartitionedRateLimiter<string> PerDay(int permits) => WrongCodeDay.SlidingDay(permits);

    private static PartitionedRateLimiter<string> PerKey(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));

    private static FixedWindowRateLimiter PerMinute(int permits) => new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = false,
    });
}
