using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// OpenTelemetry for both hosts: metrics and traces of ASP.NET Core, Orleans and Npgsql, exported over
/// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The other standard variables apply as the
/// OpenTelemetry SDK defines them (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
/// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_TRACES_SAMPLER</c>…). Without the
/// endpoint nothing is registered: no listener, no cost per request or grain call.
/// </summary>
public static class TelemetryExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The meter Orleans 10 publishes on: grain calls, activations, messaging, membership, storage.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Orleans 10's activity sources (names read from Orleans.Core.Abstractions 10.4.2): calls to the
    /// platform's grains (Application), to Orleans' own system targets (Runtime), grain storage, and the
    /// silo's start and stop stages (Lifecycle).
    /// </summary>
    public static readonly string[] OrleansActivitySources =
        ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Storage", "Microsoft.Orleans.Lifecycle"];

    // .NET's built-in meters: GC, thread pool, exceptions, and outgoing HTTP.
    private static readonly string[] DotNetMeters = ["System.Runtime", "System.Net.Http"];

    /// <summary>Whether telemetry leaves the process; the hosts also add Orleans' trace propagation then.</summary>
    public static bool IsExported(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);

    /// <summary>Registers the exporters when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise does nothing.</summary>
    /// <param name="builder">The host being built.</param>
    /// <param name="serviceName">The service name unless <c>OTEL_SERVICE_NAME</c> gives one.</param>
    /// <param name="serviceInstanceId">Tells instances apart (a silo's name); generated when null.</param>
    public static IHostApplicationBuilder AddMeiLingTelemetry(this IHostApplicationBuilder builder, string serviceName, string? serviceInstanceId = null)
    {
        if (!IsExported(builder.Configuration))
        {
            return builder;
        }

        var nameFromEnvironment = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // Added last, AddService would override OTEL_SERVICE_NAME.
                if (!nameFromEnvironment)
                {
                    resource.AddService(serviceName, serviceInstanceId: serviceInstanceId, autoGenerateServiceInstanceId: serviceInstanceId is null);
                }
            })
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(OrleansMeter)
                .AddMeter(DotNetMeters))
            .WithTracing(tracing => tracing
                // Health probes arrive every few seconds from every orchestrator: not worth a trace each.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql()
                .AddSource(OrleansActivitySources))
            .UseOtlpExporter();
        return builder;
    }
}
