using System.Text.Json;
using System.Text.Json.Serialization;
using MeiLing.Bench.Options;

namespace MeiLing.Bench.Reporting;

/// <summary>The results as JSON (<c>--json PATH</c>), for docs and for comparing runs.</summary>
public static class JsonReport
{
    public static async Task WriteAsync(string path, BenchOptions options, MachineInfo machine, IReadOnlyList<Measurement> measurements, CancellationToken cancellationToken)
    {
        var report = new Report(
            DateTimeOffset.UtcNow,
            machine,
            options.Api.ToString(),
            options.Warmup.TotalSeconds,
            options.Requests is null ? options.Duration.TotalSeconds : null,
            options.Requests,
            [.. measurements.Select(m => new Row(
                m.Result.Scenario,
                m.Result.Concurrency,
                m.Result.Requests,
                m.Result.ErrorCount,
                m.Result.Errors,
                Math.Round(m.Result.Elapsed.TotalSeconds, 3),
                Math.Round(m.Result.Throughput, 1),
                m.Result.Latency,
                CeilingComparison.For(m, measurements).ToDictionary(c => c.Ceiling.ToString().ToLowerInvariant(), c => new Ratio(
                    Math.Round(c.ThroughputShare, 4), Math.Round(c.P50Multiple, 2)))))]);

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, ReportJson.Default.Report, cancellationToken);
    }

    public sealed record Report(
        DateTimeOffset At, MachineInfo Machine, string Api, double WarmupSeconds, double? DurationSeconds, long? Requests, IReadOnlyList<Row> Results);

    public sealed record Row(
        string Scenario,
        int Concurrency,
        long Requests,
        long Errors,
        IReadOnlyDictionary<string, long> ErrorsByStatus,
        double ElapsedSeconds,
        double Throughput,
        Load.LatencySummary LatencyMs,
        IReadOnlyDictionary<string, Ratio> VsCeiling);

    public sealed record Ratio(double ThroughputShare, double P50Multiple);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(JsonReport.Report))]
internal sealed partial class ReportJson : JsonSerializerContext;
