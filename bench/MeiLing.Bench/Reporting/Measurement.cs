using MeiLing.Bench.Load;
using MeiLing.Bench.Scenarios;

namespace MeiLing.Bench.Reporting;

/// <summary>A load result with what its scenario is: a ceiling, or a figure to read against ceilings.</summary>
public sealed record Measurement(LoadResult Result, Ceiling Provides, Ceiling ComparedWith);

/// <summary>A figure read against a ceiling measured at the same concurrency.</summary>
public sealed record Comparison(Ceiling Ceiling, double ThroughputShare, double P50Multiple);

/// <summary>Pairs each measurement with the ceilings measured in the same run at the same concurrency.</summary>
public static class CeilingComparison
{
    public static IReadOnlyList<Comparison> For(Measurement measurement, IReadOnlyList<Measurement> all)
    {
        var comparisons = new List<Comparison>();
        foreach (var ceiling in new[] { Ceiling.Http, Ceiling.Write })
        {
            if (!measurement.ComparedWith.HasFlag(ceiling))
            {
                continue;
            }

            var reference = all.FirstOrDefault(m => m.Provides == ceiling && m.Result.Concurrency == measurement.Result.Concurrency)?.Result;
            if (reference is { Throughput: > 0 } && reference.Latency.P50 > 0)
            {
                comparisons.Add(new Comparison(
                    ceiling,
                    measurement.Result.Throughput / reference.Throughput,
                    measurement.Result.Latency.P50 / reference.Latency.P50));
            }
        }

        return comparisons;
    }
}
