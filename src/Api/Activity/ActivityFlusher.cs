using MeiLing.Grains.Activity;

namespace MeiLing.Api.Activity;

/// <summary>
/// Sends recorded activity to the cluster in batches: at once when a batch holds
/// <see cref="ActivityRecorder.BatchSize"/> distinct requests, else half a second after its first, each request
/// repeated within the batch as one entry with its count (<see cref="ActivityCoalescing"/> also keeps a user's distinct
/// requests beyond its allowance on one overflow entry).
/// </summary>
internal sealed partial class ActivityFlusher(ActivityRecorder recorder, IClusterClient cluster, ILogger<ActivityFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var droppedReported = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ActivityEntry> batch = [];
            try
            {
                await recorder.Arrived.WaitAsync(stoppingToken);
                // Waiting on the signal itself, not beside a delay: a batch that fills first leaves no timer behind.
                await recorder.Filled.WaitAsync(FlushEvery, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                stoppingToken.ThrowIfCancellationRequested();

                if (recorder.Dropped is var dropped && dropped > droppedReported)
                {
                    LogDropped(dropped - droppedReported);
                    droppedReported = dropped;
                }

                batch = recorder.TakeBatch();
                if (batch.Count > 0)
                {
                    await cluster.GetGrain<IActivityLogGrain>(0).Append(ActivityCoalescing.Coalesce(batch));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFlushFailed(batch.Count, exception.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} activity entries: {Reason}")]
    private partial void LogFlushFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} requests from the activity log: the cluster took none while its memory was full")]
    private partial void LogDropped(long count);
}
