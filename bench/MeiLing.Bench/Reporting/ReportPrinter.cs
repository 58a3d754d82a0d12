using System.Globalization;
using MeiLing.Bench.Load;
using MeiLing.Bench.Options;
using MeiLing.Bench.Scenarios;

namespace MeiLing.Bench.Reporting;

/// <summary>Human-readable output: a header, a block per measurement, and the summary table with ceiling ratios.</summary>
public sealed class ReportPrinter(TextWriter output)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void Header(BenchOptions options, MachineInfo machine)
    {
        output.WriteLine("MeiLing benchmark");
        output.WriteLine($"  machine   {machine.Processors} cpus ({machine.CpuModel}), {machine.MemoryGiB.ToString("0.#", Invariant)} GiB, {machine.Os}, {machine.Runtime}");
        output.WriteLine($"  load avg  {machine.LoadAverage} (1, 5, 15 min) at start");
        if (machine.OneMinuteLoad > machine.Processors)
        {
            output.WriteLine($"  warning   the machine is busy (load {machine.OneMinuteLoad} on {machine.Processors} cpus): figures will be low and noisy");
        }

        output.WriteLine($"  target    {options.Api}");
        var length = options.Requests is { } n ? $"{n.ToString("N0", Invariant)} requests" : DurationText.Format(options.Duration);
        output.WriteLine($"  plan      {string.Join(", ", options.Scenarios)} at concurrency {string.Join(", ", options.Concurrency)}; warm-up {DurationText.Format(options.Warmup)}, then {length} each");
        output.WriteLine("  note      the load generator runs on the same machine as the system, and takes some of its CPU");
        output.WriteLine();
    }

    public void ScenarioStarts(IScenario scenario)
    {
        output.WriteLine($"== {scenario.Name}: {scenario.Description}");
    }

    public void SetupDone(IScenario scenario)
    {
        foreach (var note in scenario.Notes)
        {
            output.WriteLine($"   note: {note}");
        }
    }

    public void Result(LoadResult result)
    {
        output.WriteLine($"-- {result.Scenario} at concurrency {result.Concurrency}");
        output.WriteLine(string.Create(Invariant,
            $"   requests {result.Requests:N0}   errors {result.ErrorCount:N0}   elapsed {result.Elapsed.TotalSeconds:0.00} s   throughput {result.Throughput:N1} req/s"));
        var l = result.Latency;
        output.WriteLine(string.Create(Invariant, $"   latency ms   p50 {l.P50:0.00}   p90 {l.P90:0.00}   p99 {l.P99:0.00}   max {l.Max:0.00}   mean {l.Mean:0.00}"));
        if (result.Errors.Count > 0)
        {
            output.WriteLine($"   errors by status: {FormatErrors(result.Errors)}");
        }

        output.Flush();
    }

    public void Failed(IScenario scenario, string reason)
    {
        output.WriteLine($"   skipped: {reason}");
        output.Flush();
    }

    public void Summary(IReadOnlyList<Measurement> measurements)
    {
        output.WriteLine();
        output.WriteLine("== summary");
        if (measurements.Count == 0)
        {
            output.WriteLine("   nothing was measured");
            return;
        }

        var anyCeiling = measurements.Any(m => m.Provides != Ceiling.None);
        string[] header = ["scenario", "conc", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "vs http", "vs write"];
        var rows = new List<string[]> { header };
        foreach (var m in measurements)
        {
            var r = m.Result;
            var comparisons = CeilingComparison.For(m, measurements);
            rows.Add(
            [
                r.Scenario,
                r.Concurrency.ToString(Invariant),
                r.Requests.ToString("N0", Invariant),
                r.ErrorCount.ToString("N0", Invariant),
                r.Throughput.ToString("N1", Invariant),
                r.Latency.P50.ToString("0.00", Invariant),
                r.Latency.P90.ToString("0.00", Invariant),
                r.Latency.P99.ToString("0.00", Invariant),
                r.Latency.Max.ToString("0.00", Invariant),
                RatioCell(m, comparisons, Ceiling.Http),
                RatioCell(m, comparisons, Ceiling.Write),
            ]);
        }

        WriteTable(rows);
        output.WriteLine();
        if (anyCeiling)
        {
            output.WriteLine("   vs http / vs write: throughput as a share of that ceiling at the same concurrency, then p50 as a");
            output.WriteLine("   multiple of the ceiling's p50 (\"25.0% ×3.9\": a quarter of the ceiling's req/s, 3.9 times its median).");
        }
        else
        {
            output.WriteLine("   no ceiling was measured in this run: add ceiling-http and ceiling-write to --scenario for the ratios.");
        }

        output.Flush();
    }

    private static string RatioCell(Measurement measurement, IReadOnlyList<Comparison> comparisons, Ceiling ceiling)
    {
        if (measurement.Provides == ceiling)
        {
            return "ceiling";
        }

        return comparisons.FirstOrDefault(c => c.Ceiling == ceiling) is { } c
            ? string.Create(Invariant, $"{c.ThroughputShare * 100:0.0}% ×{c.P50Multiple:0.0}")
            : "-";
    }

    private static string FormatErrors(IReadOnlyDictionary<string, long> errors) =>
        string.Join(", ", errors.Select(e => string.Create(Invariant, $"{e.Key}×{e.Value:N0}")));

    private void WriteTable(IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            // The first column reads as text (left-aligned); the figures line up on the right.
            var cells = row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
            output.WriteLine("   " + string.Join("  ", cells).TrimEnd());
        }
    }
}
