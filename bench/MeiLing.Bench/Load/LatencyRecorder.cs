using System.Diagnostics;

namespace MeiLing.Bench.Load;

/// <summary>
/// Every latency of one worker, in <see cref="Stopwatch"/> ticks, in a growable array: no sampling, no
/// buckets, no locks (one recorder per worker). <see cref="Summarize"/> merges and sorts them once.
/// </summary>
public sealed class LatencyRecorder
{
    private long[] _ticks = new long[4096];
    private int _count;

    public int Count => _count;

    public void Record(long ticks)
    {
        if (_count == _ticks.Length)
        {
            Array.Resize(ref _ticks, _ticks.Length * 2);
        }

        _ticks[_count++] = ticks;
    }

    public static LatencySummary Summarize(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(r => r._ticks.Take(r._count)).ToArray();
        Array.Sort(all);
        return new LatencySummary(
            Milliseconds(Percentile(all, 0.50)),
            Milliseconds(Percentile(all, 0.90)),
            Milliseconds(Percentile(all, 0.99)),
            Milliseconds(all.Length == 0 ? 0 : all[^1]),
            all.Length == 0 ? 0 : Milliseconds((long)all.Average()));
    }

    // Nearest rank: the smallest recorded value with at least that share of values at or below it.
    private static long Percentile(long[] sorted, double share) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Latency percentiles of one measurement, in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double Max, double Mean);
