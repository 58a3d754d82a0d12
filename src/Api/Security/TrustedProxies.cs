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

    /// <summary>Parses <c>MEILING_TRUSTED_PROXIES</c>: addresses or CIDR networks, comma-separated.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<IPNetwork> networks)
    {
        var parsed = new List<IPNetwork>();
        networks = parsed;
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/', StringComparison.Ordinal))
            {
                parsed.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (IPNetwork.TryParse(entry, out var network))
            {
                parsed.Add(network);
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
