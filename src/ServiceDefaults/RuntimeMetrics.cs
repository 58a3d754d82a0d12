namespace MeiLing.ServiceDefaults;

/// <summary>
/// This process's collector and thread pool since it started. A latency spike that no route's own work explains is
/// usually one of these: a collection's pause, a thread pool that ran short of threads, a lock many threads waited on.
/// Two reads a schedule apart tell which (bench/compare's open loop does so); the long pauses are listed with their moments
/// (<see cref="GcPauseWatch"/>).
/// </summary>
public sealed record RuntimeMetrics(
    double GcPauseMs,
    double GcPauseTimePercent,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long HeapBytes,
    long AllocatedBytes,
    int ThreadPoolThreads,
    long ThreadPoolPending,
    long ThreadPoolCompleted,
    long LockContentions,
    double LongestGcPauseMs,
    IReadOnlyList<GcPause> LongGcPauses)
{
    /// <summary>The figures as they stand now; a handful of reads the runtime keeps anyway.</summary>
    public static RuntimeMetrics Now()
    {
        var lastCollection = GC.GetGCMemoryInfo(GCKind.Any);
        return new RuntimeMetrics(
            Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 2),
            Math.Round(lastCollection.PauseTimePercentage, 2),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            lastCollection.HeapSizeBytes,
            GC.GetTotalAllocatedBytes(),
            ThreadPool.ThreadCount,
            ThreadPool.PendingWorkItemCount,
            ThreadPool.CompletedWorkItemCount,
            Monitor.LockContentionCount,
            Math.Round(GcPauseWatch.Shared.Longest.TotalMilliseconds, 2),
            GcPauseWatch.Shared.LongPauses());
    }
}
