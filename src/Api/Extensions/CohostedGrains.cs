using MeiLing.Api.Security;
using MeiLing.Grains.Access;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Extensions;

/// <summary>
/// The API hosted in a silo process (<c>MEILING_TOPOLOGY=cohosted</c>): its endpoints call grains through
/// that silo's own client, so a call to a local activation is a copy in memory rather than a message
/// serialized to a gateway and back; calls to grains on other silos go the silo-to-silo way.
/// </summary>
public static class CohostedGrains
{
    /// <summary>Gives the API host the grains of the silo running in the same process.</summary>
    public static IServiceCollection AddGrainsOfSilo(this IServiceCollection services, IServiceProvider silo)
    {
        var client = silo.GetRequiredService<IClusterClient>();
        services.AddSingleton(client);
        services.AddSingleton<IGrainFactory>(client);
        // Keys are read from the silo's copies, which a revocation clears on every silo.
        services.AddSingleton(silo.GetRequiredService<IApiKeyResolver>());
        // Consents are read from the views the user grains activated in this silo publish (ConsentReads).
        services.AddSingleton(silo.GetRequiredService<IActivatedUserViews>());
        return services;
    }

    /// <summary>
    /// The grain call filters the API's requests need, for whichever runs its grain calls: the API's own
    /// cluster client when separate, the silo when co-hosted.
    /// </summary>
    public static IServiceCollection AddApiGrainCallFilters(this IServiceCollection services) =>
        services.AddSingleton<IOutgoingGrainCallFilter, SessionCheckingCallFilter>();

    /// <summary>A co-hosted API that was given no silo would fail its first request: stop at start instead.</summary>
    internal static void RequireGrains(WebApplication app)
    {
        if (app.Services.GetService<IClusterClient>() is null)
        {
            throw new InvalidOperationException(
                "MEILING_TOPOLOGY=cohosted hosts the API inside the silo process (MeiLing.Silo); the API alone runs with MEILING_TOPOLOGY=separate.");
        }
    }
}
