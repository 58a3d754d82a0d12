using MeiLing.Grains.Activity;

namespace MeiLing.Api.Activity;

/// <summary>
/// Sends recorded activity to the cluster in batches: up to 5,000 entries, at least every half second, each
/// request repeated within the batch folded into one entry with its count (<see cref="ActivityCoalescing"/>).
/// </summary>
internal sealed partial class ActivityFlusher(ActivityRecorder recorder, IClusterClient cluster, ILogger<ActivityFlusher> logger) : BackgroundService
{
    private const int BatchSize = 5_000;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ActivityEntry>(BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await recorder.Pending.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                window.CancelAfter(FlushEvery);
                while (batch.Count < BatchSize && !window.IsCancellationRequested)
                {
                    while (batch.Count < BatchSize && recorder.Pending.TryRead(out var entry))
                    {
                        batch.Add(entry);
                    }

                    if (batch.Count < BatchSize)
                    {
                        try
                        {
                            await recorder.Pending.WaitToReadAsync(window.Token);
                        }
                        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                        {
                            break;
                        }
                    }
                }

                await cluster.GetGrain<IActivityLogGrain>(0).Append(ActivityCoalescing.Coalesce([.. batch]));
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
            finally
            {
                batch.Clear();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} activity entries: {Reason}")]
    private partial void LogFlushFailed(int count, string reason);
}
