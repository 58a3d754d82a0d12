using System.Net;
using System.Net.Sockets;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// Where the platform may send a merchant's webhooks: public addresses, and loopback (a merchant's local
/// test receiver, and the tests'). Never a private, link-local, shared or reserved address, so that a
/// merchant's URL cannot make a silo call into the platform's own network (SSRF). The API checks the URL
/// it is given; the silo checks again every address it actually connects to, after DNS.
/// </summary>
public static class WebhookTargets
{
    /// <summary>
    /// Whether <paramref name="host"/> names loopback: <c>localhost</c> and every name under it (RFC 6761: resolvers answer
    /// them with loopback themselves), fully qualified or not (<c>localhost.</c>), or a loopback address.
    /// </summary>
    public static bool IsLoopbackHost(string host)
    {
        var name = host.TrimEnd('.');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>
    /// Whether <paramref name="url"/> names a loopback host (<c>localhost</c>, 127/8, ::1, ::ffff:127.x): acceptable only
    /// where the deployment allows loopback webhooks, only in Development or Sandbox (<c>MEILING_WEBHOOK_ALLOW_LOOPBACK</c>).
    /// </summary>
    public static bool NamesLoopback(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (IsLoopbackHost(uri.Host))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && ip.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(ip.MapToIPv4());
    }

    /// <summary>Whether a connection to <paramref name="address"/> is allowed.</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            // A zone (::1%1) makes IPv6's loopback and unspecified addresses compare unequal to themselves, so a row stored
            // as https://[::1%1]:5432/ passed as public and reached the silo's own services. No public endpoint has a zone.
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (EmbeddedIPv4(address) is { } embedded)
            {
                // A translator (NAT64), a 6to4 relay or a dual-stack host delivers these to the IPv4 address inside:
                // they are that address, and never loopback (through a translator it is someone else's loopback).
                return IsAllowed(embedded, allowLoopback: false);
            }

            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || address.IsIPv6Teredo
                || (b[0] & 0xfe) == 0xfc
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
                // 64:ff9b:1::/48, NAT64 for a network's own use (RFC 8215): what it reaches is the operator's choice.
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01));
        }

        return false;
    }

    // The IPv4 address an IPv6 form carries: IPv4-compatible (::a.b.c.d, ::/96, but not :: or ::1),
    // IPv4-translated (::ffff:0:a.b.c.d), NAT64's well-known prefix (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::/48).
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        var b = address.GetAddressBytes();
        var isCompatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1);
        var isTranslated = b.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0;
        var isNat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        if (isCompatible || isTranslated || isNat64)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : null;
    }

    /// <summary>
    /// Whether a public endpoint may listen on <paramref name="port"/>: 443, or one from 1024. Below it are other
    /// services' well-known ports (SSH, SMTP, …): delivered to, a merchant would learn from the answer's status and
    /// timing what listens there, a probe of someone else's host run by the silos.
    /// </summary>
    public static bool IsAllowedPort(int port) => port is 443 or >= 1024;

    /// <summary>Why a webhook URL is refused, or null when it may be registered.</summary>
    public static string? Problem(string url)
    {
        // Uri takes some control characters as they are (a NUL among them), and PostgreSQL refuses a NUL in text: the
        // endpoint would fail to be stored after its change was audited and counted.
        if (url.Any(char.IsControl))
        {
            return "A webhook URL has no control characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "Use an absolute http(s) URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "A webhook URL carries no user name or password.";
        }

        if (uri.IdnHost.Contains('%', StringComparison.Ordinal))
        {
            return "A webhook URL names no IPv6 zone.";
        }

        var loopback = IsLoopbackHost(uri.Host);
        if (uri.Scheme == Uri.UriSchemeHttp && !loopback)
        {
            return "Use https; plain http is allowed only to a loopback address.";
        }

        if (!loopback && !IsAllowedPort(uri.Port))
        {
            return "A webhook endpoint listens on port 443 or on a port from 1024; the well-known ports below are other services'.";
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && !IsAllowed(ip, allowLoopback: true))
        {
            return "Private, link-local and reserved addresses cannot receive webhooks.";
        }

        return null;
    }
}
