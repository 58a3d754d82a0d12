namespace MeiLing.Bench.Load;

/// <summary>What one worker saw in one phase: every latency, and its failures by kind. Owned by that worker alone.</summary>
public sealed class WorkerTally
{
    public LatencyRecorder Latencies { get; } = new();

    /// <summary>Non-2xx answers by status code ("409"), and requests that got no answer by exception type.</summary>
    public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public void Record(long ticks, int status)
    {
        Latencies.Record(ticks);
        if (status is < 200 or > 299)
        {
            CountError(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public void RecordFailure(long ticks, Exception exception)
    {
        Latencies.Record(ticks);
        CountError(exception is TaskCanceledException or OperationCanceledException ? "timeout" : exception.GetType().Name);
    }

    private void CountError(string kind) => Errors[kind] = Errors.GetValueOrDefault(kind) + 1;

    public static IReadOnlyDictionary<string, long> MergeErrors(IEnumerable<WorkerTally> tallies)
    {
        var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, count) in tallies.SelectMany(t => t.Errors))
        {
            merged[kind] = merged.GetValueOrDefault(kind) + count;
        }

        return merged;
    }
}
