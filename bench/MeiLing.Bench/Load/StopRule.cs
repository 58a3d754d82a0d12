using System.Diagnostics;

namespace MeiLing.Bench.Load;

/// <summary>When a phase ends: at a deadline, or once a number of requests has been handed out.</summary>
public abstract class StopRule
{
    /// <summary>Claims the right to issue one more request; false once the phase is over.</summary>
    public abstract bool TryTake();

    public static StopRule After(TimeSpan duration) => new Deadline(Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));

    public static StopRule AfterRequests(long count) => new Budget(count);

    private sealed class Deadline(long deadline) : StopRule
    {
        public override bool TryTake() => Stopwatch.GetTimestamp() < deadline;
    }

    private sealed class Budget(long count) : StopRule
    {
        private long _remaining = count;

        public override bool TryTake() => Interlocked.Decrement(ref _remaining) >= 0;
    }
}
