using MeiLing.Bench.Studies;

namespace MeiLing.Bench.Reporting;

/// <summary>
/// The targets of issue 7, each with what this run measured and PASS or MISS: "consent read ≥ 0.5× the
/// HTTP ceiling; durable consent and order writes ≥ 0.8× the write ceiling at the same concurrency;
/// p99 &lt; 5 ms at half of peak load; under 4 KB per idle activated user grain; export of a 1,000-order
/// user under 300 ms". A target whose scenarios did not run is shown as not measured.
/// </summary>
public sealed class TargetsPrinter(TextWriter output)
{
    public void Print(IReadOnlyList<Measurement> measurements, StudyFigures figures)
    {
        output.WriteLine();
        output.WriteLine("== targets (issue 7)");
        output.WriteLine($"   {"target",-52}{"measured",22}  result");
        Ratio(measurements, "consent-read", "ceiling-http", 0.5, "consent read ≥ 0.5× HTTP ceiling");
        Ratio(measurements, "consent-write", "ceiling-write", 0.8, "consent write ≥ 0.8× write ceiling");
        Ratio(measurements, "order-create", "ceiling-write", 0.8, "order write ≥ 0.8× write ceiling");
        Below(figures.Get(StudyFigures.HalfLoadP99), 5, "consent-read p99 < 5 ms at half of peak load",
            v => $"{v:0.00} ms @ {figures.Get(StudyFigures.HalfLoadRate):N0}/s (ping: {figures.Get(StudyFigures.HalfLoadPingP99):0.00} ms)");
        Below(figures.Get(StudyFigures.IdleGrainBytes), 4096, "< 4 KB per idle activated user grain", v => $"{v:N0} B");
        Below(figures.Get(StudyFigures.Export1000Ms), 300, "export of a 1,000-order user < 300 ms", v => $"{v:0.0} ms");
    }

    private void Ratio(IReadOnlyList<Measurement> measurements, string scenario, string ceiling, double target, string label)
    {
        var pairs = measurements.Where(m => m.Result.Scenario == scenario)
            .Select(m => (m.Result, Ceiling: measurements.FirstOrDefault(c => c.Result.Scenario == ceiling && c.Result.Concurrency == m.Result.Concurrency)?.Result))
            .Where(p => p.Ceiling is { Throughput: > 0 })
            .ToList();
        if (pairs.Count == 0)
        {
            Row(label, "not measured", null);
            return;
        }

        foreach (var (result, reference) in pairs)
        {
            var ratio = result.Throughput / reference!.Throughput;
            Row($"{label} (c={result.Concurrency})", $"{ratio:0.00}× ({result.Throughput:N0}/{reference.Throughput:N0})", ratio >= target);
        }
    }

    private void Below(double? value, double limit, string label, Func<double, string> format) =>
        Row(label, value is { } v ? format(v) : "not measured", value is { } measured ? measured < limit : null);

    private void Row(string label, string measured, bool? pass) =>
        output.WriteLine($"   {label,-52}{measured,22}  {pass switch { true => "PASS", false => "MISS", null => "-" }}");
}
