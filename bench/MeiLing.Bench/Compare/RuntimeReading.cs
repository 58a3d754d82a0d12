using System.Globalization;
using System.Text.Json;
using MeiLing.Bench.Http;

namespace MeiLing.Bench.Compare;

/// <summary>
/// The host's collector and thread pool as <c>GET /health/metrics</c> gives them (its <c>runtime</c>); two readings a
/// schedule apart say whether a slow moment in it was a collection, a short thread pool or lock waits.
/// </summary>
public sealed record RuntimeReading(
    double GcPauseMs, int Gen0, int Gen1, int Gen2, long AllocatedBytes, int Threads, long LockContentions, IReadOnlyList<(DateTimeOffset At, double Ms, int Generation)> LongGcPauses)
{
    public static async Task<RuntimeReading?> ReadAsync(Uri api, string operatorKey, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/metrics");
        request.Headers.Add(ApiRequests.OperatorKeyHeader, operatorKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null; // the conventional service has no such route; nothing to tell
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (!document.RootElement.TryGetProperty("runtime", out var runtime))
        {
            return null;
        }

        return new RuntimeReading(
            runtime.GetProperty("gcPauseMs").GetDouble(),
            runtime.GetProperty("gen0Collections").GetInt32(),
            runtime.GetProperty("gen1Collections").GetInt32(),
            runtime.GetProperty("gen2Collections").GetInt32(),
            runtime.GetProperty("allocatedBytes").GetInt64(),
            runtime.GetProperty("threadPoolThreads").GetInt32(),
            runtime.GetProperty("lockContentions").GetInt64(),
            runtime.TryGetProperty("longGcPauses", out var pauses)
                ? [.. pauses.EnumerateArray().Select(p => (p.GetProperty("at").GetDateTimeOffset(), p.GetProperty("ms").GetDouble(), p.GetProperty("generation").GetInt32()))]
                : []);
    }

    /// <summary>The long collector pauses this reading lists that <paramref name="before"/> did not.</summary>
    public IEnumerable<string> LongPausesSince(RuntimeReading before) =>
        LongGcPauses.Where(pause => !before.LongGcPauses.Contains(pause))
            .Select(pause => string.Create(CultureInfo.InvariantCulture, $"collector paused {pause.Ms:0.0} ms at {pause.At:HH:mm:ss.fff} (gen {pause.Generation})"));

    /// <summary>What happened between <paramref name="before"/> and this reading, as <c>key=value</c> fields.</summary>
    public string Since(RuntimeReading before) => string.Create(CultureInfo.InvariantCulture,
        $"gc_pause_ms={GcPauseMs - before.GcPauseMs:0.0} gc={Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2} " +
        $"allocated_mb={(AllocatedBytes - before.AllocatedBytes) / 1048576.0:0} threads={before.Threads}->{Threads} lock_contentions={LockContentions - before.LockContentions}");
}
