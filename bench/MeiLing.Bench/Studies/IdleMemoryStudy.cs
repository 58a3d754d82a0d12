using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using MeiLing.Bench.Http;
using MeiLing.Bench.Reporting;
using MeiLing.Bench.Scenarios;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace MeiLing.Bench.Studies;

/// <summary>
/// Memory per idle activated user grain. The bench joins the cluster as an Orleans client (ADO.NET
/// clustering on the system's PostgreSQL) and calls <c>IUserGrain.GetProfile()</c> on 100,000 fresh
/// random user ids: a user grain with no stored state activates empty and then sits idle, exactly an
/// idle activation. The silo's <c>/health/memory</c> (heap after a full GC) is read before and after;
/// the delta over the new activations is the cost of one. Orleans' default collection age (15 min)
/// keeps them all alive for the few seconds this takes.
/// </summary>
public sealed class IdleMemoryStudy : Study
{
    private const int Activations = 100_000;
    private const int InFlight = 256;

    public override string Name => "idle-memory";

    public override string Description => $"silo heap per idle user-grain activation ({Activations:N0} activated through an Orleans client)";

    /// <summary>The silo's HTTP address: MEILING_SILO_URL, else http://127.0.0.1:$MEILING_DASHBOARD_PORT_BASE (8080), as scripts/run starts silo 0.</summary>
    public static Uri SiloUrl() => new(Environment.GetEnvironmentVariable("MEILING_SILO_URL")
        ?? $"http://127.0.0.1:{Environment.GetEnvironmentVariable("MEILING_DASHBOARD_PORT_BASE") ?? "8080"}");

    public override async Task RunAsync(BenchContext context, IReadOnlyList<Measurement> measured, StudyFigures figures, CancellationToken cancellationToken)
    {
        using var silo = new HttpClient { BaseAddress = SiloUrl(), Timeout = TimeSpan.FromMinutes(2) };
        // The silo's /health/memory is an operator surface: it takes the operator key, as the API does.
        if (context.Options.OperatorKey is { } operatorKey)
        {
            silo.DefaultRequestHeaders.Add(ApiRequests.OperatorKeyHeader, operatorKey);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = Environment.GetEnvironmentVariable("MEILING_CLUSTER_ID") ?? "meiling";
                options.ServiceId = Environment.GetEnvironmentVariable("MEILING_SERVICE_ID") ?? "meiling";
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = context.Options.Postgres;
            });
        });
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(cancellationToken);
        }

        try
        {
            var grains = provider.GetRequiredService<IClusterClient>();
            var before = await SampleAsync(silo, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            using var gate = new SemaphoreSlim(InFlight);
            var calls = new List<Task>(Activations);
            for (var i = 0; i < Activations; i++)
            {
                await gate.WaitAsync(cancellationToken);
                calls.Add(Activate(grains.GetGrain<IUserGrain>(EntityId.New(EntityId.UserPrefix)), gate));
            }

            await Task.WhenAll(calls);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var after = await SampleAsync(silo, cancellationToken);
            var added = after.Activations - before.Activations;
            var perActivation = (after.GcHeapBytes - before.GcHeapBytes) / (double)Activations;
            var perCounted = added > 0 ? (after.GcHeapBytes - before.GcHeapBytes) / (double)added : double.NaN;
            context.Log.WriteLine($"   {Activations:N0} GetProfile calls on fresh ids in {seconds:0.0} s ({Activations / seconds:N0}/s, {InFlight} in flight)");
            context.Log.WriteLine($"   silo before: heap {before.GcHeapBytes:N0} B, working set {before.WorkingSetBytes:N0} B, activations {before.Activations:N0}");
            context.Log.WriteLine($"   silo after:  heap {after.GcHeapBytes:N0} B, working set {after.WorkingSetBytes:N0} B, activations {after.Activations:N0}");
            context.Log.WriteLine($"   heap per idle user grain: {perActivation:N0} B (delta / {Activations:N0}); {perCounted:N0} B per counted new activation ({added:N0}); "
                + $"working set per grain {(after.WorkingSetBytes - before.WorkingSetBytes) / (double)Activations:N0} B");
            figures.Set(StudyFigures.IdleGrainBytes, perActivation);
        }
        finally
        {
            foreach (var service in Enumerable.Reverse(hosted))
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    private static async Task Activate(IUserGrain grain, SemaphoreSlim gate)
    {
        try
        {
            await grain.GetProfile();
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<MemorySample> SampleAsync(HttpClient silo, CancellationToken cancellationToken) =>
        await silo.GetFromJsonAsync("/health/memory", MemoryJson.Default.MemorySample, cancellationToken)
            ?? throw new InvalidOperationException("GET /health/memory answered an empty body");
}

/// <summary>The silo's <c>/health/memory</c> answer.</summary>
public sealed record MemorySample(long GcHeapBytes, long WorkingSetBytes, int Activations);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MemorySample))]
internal sealed partial class MemoryJson : JsonSerializerContext;
