using System.Diagnostics;
using System.Globalization;

namespace MeiLing.Bench.Studies;

/// <summary>One late answer: when its request was scheduled (a <see cref="Stopwatch"/> timestamp) and how late it came, in ms.</summary>
public readonly record struct SlowAnswer(long Scheduled, double LatencyMs);

/// <summary>
/// Late answers whose requests were scheduled close together: one moment the server (or the machine) fell behind.
/// A stall of d ms shows as requests scheduled over about d ms, answered together at its end, the first of them the
/// latest; requests scattered through the schedule show as many short episodes instead. <c>Offset</c> is seconds from
/// the start of the measured part, <c>At</c> the wall clock then.
/// </summary>
public sealed record SlowEpisode(double OffsetSeconds, DateTimeOffset At, double SpanMs, int Answers, double WorstMs)
{
    // Two late answers scheduled further apart than this belong to different moments.
    private const double GapMilliseconds = 50;

    public static IReadOnlyList<SlowEpisode> Group(IReadOnlyList<SlowAnswer> slow, long measured, DateTimeOffset measuredAt)
    {
        var episodes = new List<SlowEpisode>();
        var first = 0;
        for (var i = 1; i <= slow.Count; i++)
        {
            if (i < slow.Count && Milliseconds(slow[i].Scheduled - slow[i - 1].Scheduled) <= GapMilliseconds)
            {
                continue;
            }

            var offset = Milliseconds(slow[first].Scheduled - measured);
            var worst = 0.0;
            for (var j = first; j < i; j++)
            {
                worst = Math.Max(worst, slow[j].LatencyMs);
            }

            episodes.Add(new SlowEpisode(Math.Round(offset / 1000, 3), measuredAt.AddMilliseconds(offset),
                Math.Round(Milliseconds(slow[i - 1].Scheduled - slow[first].Scheduled), 1), i - first, Math.Round(worst, 1)));
            first = i;
        }

        return episodes;
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"+{OffsetSeconds:0.000}s ({At:HH:mm:ss.fff}) over {SpanMs:0.0} ms: {Answers} answers ≥ {OpenLoop.SlowMilliseconds:0} ms, worst {WorstMs:0.0} ms");
}
