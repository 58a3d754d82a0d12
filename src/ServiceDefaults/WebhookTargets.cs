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
    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Whether a connection to <paramref name="address"/> is allowed.</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
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
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8));
        }

        return false;
    }

    /// <summary>Why a webhook URL is refused, or null when it may be registered.</summary>
    public static string? Problem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "Use an absolute http(s) URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "A webhook URL carries no user name or password.";
        }

        var loopback = IsLoopbackHost(uri.Host);
        if (uri.Scheme == Uri.UriSchemeHttp && !loopback)
        {
            return "Use https; plain http is allowed only to a loopback address.";
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && !IsAllowed(ip, allowLoopback: true))
        {
            return "Private, link-local and reserved addresses cannot receive webhooks.";
        }

        return null;
    }
}
