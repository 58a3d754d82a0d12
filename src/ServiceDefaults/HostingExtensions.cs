using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MeiLing.ServiceDefaults;

/// <summary>What the silo and the API host share: configuration from MEILING_* variables, PostgreSQL, health endpoints.</summary>
public static class HostingExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>Reads MEILING_* environment variables (prefix removed) over appsettings, and binds the settings.</summary>
    public static T AddMeiLingSettings<T>(this IHostApplicationBuilder builder)
        where T : ClusterSettings, new()
    {
        builder.Configuration.AddEnvironmentVariables(Settings.EnvironmentPrefix);
        var settings = Settings.Bind<T>(builder.Configuration);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(settings));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(PostgresConnections.WithStatementReuse(settings.Postgres)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks()
            .AddSharedCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        return settings;
    }

    /// <summary><c>/health/live</c>: the process answers; <c>/health/ready</c>: every check tagged ready passes. Returns their group, so a host can mark them anonymous.</summary>
    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var probes = endpoints.MapGroup("/health");
        probes.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false })
            .ExcludeFromDescription();
        probes.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).ExcludeFromDescription();
        return probes;
    }
}
