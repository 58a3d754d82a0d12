using System.Diagnostics;
using MeiLing.Bench.Options;
using MeiLing.Bench.Scenarios;

namespace MeiLing.Bench.Load;

/// <summary>
/// Drives a scenario in a closed loop: N workers, each issuing its next request as soon as the last
/// one answered, first for the warm-up (discarded), then for the measurement.
/// </summary>
public sealed class LoadRunner(BenchOptions options)
{
    public async Task<LoadResult> RunAsync(IScenario scenario, int concurrency, HttpClient http, CancellationToken cancellationToken)
    {
        var workers = new List<(WorkerContext Context, IScenarioWorker Worker)>(concurrency);
        try
        {
            for (var i = 0; i < concurrency; i++)
            {
                var context = new WorkerContext(i, concurrency, http);
                workers.Add((context, await scenario.CreateWorkerAsync(context, cancellationToken)));
            }

            if (options.Warmup > TimeSpan.Zero)
            {
                await RunPhaseAsync(workers, StopRule.After(options.Warmup), cancellationToken);
            }

            var stop = options.Requests is { } count ? StopRule.AfterRequests(count) : StopRule.After(options.Duration);
            var (tallies, elapsed) = await RunPhaseAsync(workers, stop, cancellationToken);
            return new LoadResult(
                scenario.Name,
                concurrency,
                tallies.Sum(t => (long)t.Latencies.Count),
                WorkerTally.MergeErrors(tallies),
                elapsed,
                LatencyRecorder.Summarize(tallies.Select(t => t.Latencies)));
        }
        finally
        {
            foreach (var (_, worker) in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private static async Task<(WorkerTally[] Tallies, TimeSpan Elapsed)> RunPhaseAsync(
        IReadOnlyList<(WorkerContext Context, IScenarioWorker Worker)> workers, StopRule stop, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var tallies = await Task.WhenAll(workers.Select(w => Task.Run(() => LoopAsync(w.Context, w.Worker, stop, cancellationToken), CancellationToken.None)));
        return (tallies, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<WorkerTally> LoopAsync(WorkerContext context, IScenarioWorker worker, StopRule stop, CancellationToken cancellationToken)
    {
        var tally = new WorkerTally();
        while (!cancellationToken.IsCancellationRequested && stop.TryTake())
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var status = await worker.ExecuteAsync(cancellationToken);
                tally.Record(Stopwatch.GetTimestamp() - started, status);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Interrupted (Ctrl-C): the request in flight is neither a success nor the system's failure.
                break;
            }
            catch (Exception exception)
            {
                tally.RecordFailure(Stopwatch.GetTimestamp() - started, exception);
            }

            context.Sequence++;
        }

        return tally;
    }
}
