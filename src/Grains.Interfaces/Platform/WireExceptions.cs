using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Which exceptions may cross between silos and clients, set the same on both sides. Orleans only
/// encodes exceptions from the System, Microsoft and Azure namespaces; a grain whose PostgreSQL call
/// failed would otherwise answer with a <c>CodecNotFoundException</c>, and the API could not tell an
/// outage (503, retry) from a bug (500). The type, message, stack and inner exceptions cross; the
/// API never shows any of them to a caller.
/// </summary>
public static class WireExceptions
{
    public const string PostgresNamespace = "Npgsql";

    public static IServiceCollection AddPostgresExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add(PostgresNamespace));
}
