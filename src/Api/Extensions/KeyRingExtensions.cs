using MeiLing.Api.Security;
using MeiLing.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace MeiLing.Api.Extensions;

/// <summary>
/// One data-protection key ring for every API host, separate or co-hosted: in PostgreSQL, each key's secret sealed
/// (<see cref="KeyRingSeal"/>), under one application name. Without it each host kept a ring of its own (on its
/// own disk, its payloads bound to its install folder), so behind a load balancer a support agent's console cookie
/// and every antiforgery token were refused by the other hosts, and a restarted host signed everyone out.
/// </summary>
public static class KeyRingExtensions
{
    /// <summary>
    /// What every host's payloads are bound to, instead of the framework's default, the host's install folder (which
    /// differs between the API process and a silo co-hosting it). Changing it ends every console session and form.
    /// </summary>
    public const string ApplicationName = "meiling-api";

    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services, ApiSettings settings)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (settings.JwtKeyBytes is not { } sessionKey)
        {
            // Development without MEILING_JWT_KEY: sessions end with the process (a random signing key), and so
            // does the ring, in memory; nothing is written that no later process could open.
            dataProtection.UseEphemeralDataProtectionProvider();
            return services;
        }

        services.AddSingleton(new KeyRingSeal(sessionKey));
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource, KeyRingSeal>((options, database, seal) =>
        {
            options.XmlRepository = new PostgresKeyRingRepository(database);
            options.XmlEncryptor = new SealedKeyXmlEncryptor(seal);
        });
        // Keys long past their expiry go (an in-memory ring dies with its process and needs none of this).
        services.AddHostedService<KeyRingRetention>();
        return services;
    }
}
