using Orleans.Configuration;

namespace MeiLing.Api.Extensions;

/// <summary>
/// How the API's cluster client rides out a silo's death and a database outage: it fails a grain call
/// fast (503) instead of holding the request, and it learns the live gateways quickly.
/// </summary>
public static class ClusterClientTuning
{
    // The client drops a gateway at once when its connection breaks; this refresh from the membership
    // table is what brings a new or restarted silo's gateway into use.
    private static readonly TimeSpan GatewayListRefresh = TimeSpan.FromSeconds(5);

    public static IClientBuilder UseFailFastCalls(this IClientBuilder client, ApiSettings settings)
    {
        client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(settings.GrainCallTimeoutSeconds));
        client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = GatewayListRefresh);
        return client;
    }
}
