using System.Diagnostics;

namespace MeiLing.FaultCheck;

/// <summary>One line a second while writes run: what ended in that second, by outcome.</summary>
public static class Progress
{
    public static async Task PrintAsync(WriteLoad load, Stopwatch clock, TextWriter output, CancellationToken cancellationToken)
    {
        long acknowledged = 0, unavailable = 0, other = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var (a, u, o) = (load.Count(WriteOutcome.Acknowledged), load.Count(WriteOutcome.Unavailable), load.Count(WriteOutcome.Other));
                lock (output)
                {
                    output.WriteLine($"  +{clock.Elapsed.TotalSeconds,5:F1} s  acknowledged {a - acknowledged,4}  503 {u - unavailable,4}  other {o - other,4}");
                }

                (acknowledged, unavailable, other) = (a, u, o);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The writes are over.
        }
    }
}
