using System.Net;

namespace MeiLing.Bench.Http;

/// <summary>HTTP clients for the benchmark: one pool per load run, sized to its concurrency, never via a proxy.</summary>
public static class BenchHttp
{
    public static HttpClient Create(Uri api, int maxConnections, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            // The system is on this machine: an http_proxy in the environment must not reroute it.
            UseProxy = false,
            // Sign-in sets a session cookie; each request carries exactly the credentials the scenario gives it.
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = api,
            Timeout = timeout,
            DefaultRequestVersion = HttpVersion.Version11,
        };
}
