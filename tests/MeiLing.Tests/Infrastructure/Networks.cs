using System.Net;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// Clients at addresses of their own. The test server takes the caller's address from the context it builds, as Kestrel
/// takes it from the socket, so a test can tell one network's calls from another's; the fixture's own clients have none.
/// </summary>
internal static class Networks
{
    /// <summary>An anonymous client whose every call comes from <paramref name="peer"/>.</summary>
    public static HttpClient ClientFrom(this PlatformFixture platform, string peer)
    {
        var address = IPAddress.Parse(peer);
        return new HttpClient(platform.Api.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address))
        {
            BaseAddress = platform.Api.Server.BaseAddress,
        };
    }
}
