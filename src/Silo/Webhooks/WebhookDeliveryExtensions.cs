using System.Net.Sockets;
using Polly;
using MeiLing.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace MeiLing.Silo.Webhooks;

/// <summary>The outbox delivery every silo runs: its HTTP client (SSRF-guarded, a timeout per attempt) and its worker.</summary>
public static class WebhookDeliveryExtensions
{
    public static ISiloBuilder AddWebhookDelivery(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<WebhookDeliverySettings>();
        silo.Services.AddHttpClient(WebhookDeliveryService.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                // A redirect would be a second URL nobody checked; the merchant's endpoint answers itself.
                AllowAutoRedirect = false,
                UseCookies = false,
                // P3.1, P4.4: no proxy, whatever HTTP_PROXY/HTTPS_PROXY/ALL_PROXY say. Through a proxy the guard below would
                // check the proxy's address, and the proxy would reach the merchant's URL for us, private addresses and all.
                UseProxy = false,
                ConnectCallback = GuardedConnect(services.GetRequiredService<IOptions<WebhookDeliverySettings>>().Value.AllowLoopback),
            })
            // P4.4: the client factory's own lines name each request's URL, whose path often carries the merchant's token
            // (the change audit keeps only the host). The outbox records each attempt's outcome; nothing more is logged.
            .RemoveAllLoggers()
            // Retries are the outbox's (durable, with back-off over days); here only the time one attempt may take.
            .AddResilienceHandler("webhook-attempt", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhookDeliverySettings>>().Value.AttemptTimeout));
        silo.Services.AddHostedService<WebhookDeliveryService>();
        return silo;
    }

    // The address checked is the one connected to, after DNS: a name that resolves (or re-resolves) to a
    // private address is refused like the address itself.
    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> GuardedConnect(bool allowLoopback) =>
        async (context, cancellationToken) =>
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(address => WebhookTargets.IsAllowed(address, allowLoopback)).ToArray();
            if (allowed.Length == 0 || allowed.Length != addresses.Length)
            {
                throw new HttpRequestException("The webhook endpoint resolves to an address webhooks may not be sent to.");
            }

            // An endpoint registered before ports were checked is held to the same rule as it is sent to.
            if (!WebhookTargets.IsAllowedPort(context.DnsEndPoint.Port) && !allowed.All(System.Net.IPAddress.IsLoopback))
            {
                throw new HttpRequestException("The webhook endpoint's port is another service's well-known port.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
