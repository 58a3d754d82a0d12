using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace MeiLing.Api.Security;

/// <summary>
/// Behind a TLS terminator or load balancer (P4.4): the client's address and scheme come from
/// <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>, but only when the TCP peer is one of
/// <c>MEILING_TRUSTED_PROXIES</c>. Anyone else's forwarded headers are ignored, so a caller cannot pick
/// the address its rate limits count against, the address written to a user's activity log, or
/// pretend to have come over HTTPS. Empty: no proxy is trusted, not even loopback.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, ApiSettings settings) =>
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Every hop is checked from the right: an entry is taken only while the address that sent it
            // is trusted, so a chain of trusted proxies works and a forged left-most entry is never reached.
            options.ForwardLimit = null;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in settings.TrustedProxyNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });

    /// <summary>The widest IPv4 network a deployment may trust: a /8 (P4.4).</summary>
    public const int MinIPv4PrefixLength = 8;

    /// <summary>The widest IPv6 network a deployment may trust: a /32, a large provider's allocation (P4.4).</summary>
    public const int MinIPv6PrefixLength = 32;

    // ::ffff:0:0/96, the IPv4-mapped addresses: a dual-stack listener sees each IPv4 client as ::ffff:a.b.c.d, and the
    // forwarded-headers middleware matches that against the IPv6 networks too, so ::/32 or ::ffff:0:0/96 trusts all of IPv4.
    private static readonly byte[] IPv4Mapped = IPAddress.Parse("::ffff:0:0").GetAddressBytes();

    /// <summary>Parses <c>MEILING_TRUSTED_PROXIES</c>: addresses or CIDR networks, comma-separated.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<IPNetwork> networks) => TryParse(text, out networks, out _);

    /// <summary>
    /// Parses <c>MEILING_TRUSTED_PROXIES</c>; when it is refused, <paramref name="problem"/> says why, naming the entry. A
    /// network wider than a /8 (IPv4) or /32 (IPv6) is refused (P4.4, P1.3): 0.0.0.0/0 or ::/0 believed every caller's
    /// X-Forwarded-For, so a client named a fresh address each request, escaping every per-address limit (codes, sign-ins,
    /// wrong codes a day, the failed-credential gate) and writing the address it liked into a user's activity log.
    /// </summary>
    public static bool TryParse(string? text, out IReadOnlyList<IPNetwork> networks, out string? problem)
    {
        var parsed = new List<IPNetwork>();
        networks = parsed;
        problem = null;
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/', StringComparison.Ordinal))
            {
                parsed.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (IPNetwork.TryParse(entry, out var network))
            {
                if (IsTooWide(network))
                {
                    problem = $"must name the proxies' own addresses or networks no wider than /{MinIPv4PrefixLength} (IPv4) or /{MinIPv6PrefixLength} (IPv6, and /{96 + MinIPv4PrefixLength} of IPv4-mapped ::ffff:0:0/96): '{entry}' would believe the X-Forwarded-For of nearly every caller, who would then choose the address its rate limits count and its activity log shows.";
                    return false;
                }

                parsed.Add(network);
            }
            else
            {
                problem = $"must be IP addresses or CIDR networks (e.g. 10.0.0.5,10.1.0.0/16) separated by commas: '{entry}' is neither.";
                return false;
            }
        }

        return true;
    }

    private static bool IsTooWide(IPNetwork network) =>
        network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? network.PrefixLength < MinIPv4PrefixLength
            : network.PrefixLength < MinIPv6PrefixLength
                // Judged as the IPv4 network it maps (see IPv4Mapped): ::/32 holds all of ::ffff:0:0/96.
                || (network.PrefixLength < 96 + MinIPv4PrefixLength && (network.BaseAddress.IsIPv4MappedToIPv6 || HoldsIPv4Mapped(network)));

    // Whether the network's first PrefixLength bits are those of ::ffff:0:0/96 (for a prefix of 96 or less: all of it). Bit by
    // bit, not IPNetwork.Contains, which answers true for ::ffff:0.0.0.0 in networks that do not hold it (2001:db8::/32).
    private static bool HoldsIPv4Mapped(IPNetwork network)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        for (var bit = 0; bit < network.PrefixLength; bit++)
        {
            if (((bytes[bit / 8] ^ IPv4Mapped[bit / 8]) & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
