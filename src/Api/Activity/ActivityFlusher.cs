using MeiLing.Grains.Activity;
using Microsoft.Extensions.Options;

namespace MeiLing.Api.Activity;

/// <summary>
/// Sends recorded activity to the cluster in batches: at once when a batch holds
/// <see cref="ActivityRecorder.BatchSize"/> distinct requests, else half a second after its first, each request
/// repeated within the batch as one entry with its count (<see cref="ActivityCoalescing"/> also keeps a user's distinct
/// requests beyond its allowance on one overflow entry, and <see cref="ActivityDailyAllowance"/> a user's beyond the day's).
/// </summary>
internal sealed partial class ActivityFlusher(
    ActivityRecorder recorder, IClusterClient cluster, IOptions<ApiSettings> settings, TimeProvider clock, ILogger<ActivityFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(500);

    private readonly ActivityDailyAllowance _allowance = new(settings.Value.ActivityEntriesPerUserPerDay, clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var droppedReported = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ActivityEntry> batch = [];
            try
            {
                await ArrivedOrOverflowDueAsync(stoppingToken);
                // Waiting on the signal itself, not beside a delay: a batch that fills first leaves no timer behind.
                await recorder.Filled.WaitAsync(FlushEvery, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                stoppingToken.ThrowIfCancellationRequested();

                if (recorder.Dropped is var dropped && dropped > droppedReported)
                {
                    LogDropped(dropped - droppedReported);
                    droppedReported = dropped;
                }

                batch = _allowance.Admit(recorder.TakeBatch());
                if (batch.Count > 0)
                {
                    await cluster.GetGrain<IActivityLogGrain>(0).Append(ActivityCoalescing.Coalesce(batch));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogFlushFailed(batch.Count, exception.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // However the loop ended (a stop while waiting, while a flush ran, or after one failed), what is held is written.
        await WriteHeldOverflowAsync();
    }

    // A user's overflow entry past the day's allowance is written when due even if no request comes after it.
    private async Task ArrivedOrOverflowDueAsync(CancellationToken stoppingToken)
    {
        if (_allowance.NextDue is not { } due)
        {
            await recorder.Arrived.WaitAsync(stoppingToken);
            return;
        }

        var wait = due - clock.GetUtcNow();
        await recorder.Arrived.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, stoppingToken)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // As the host stops, what it held is written if the cluster still takes it; a host that dies loses it, as its batch.
    private async Task WriteHeldOverflowAsync()
    {
        var held = _allowance.Admit([], releaseAll: true);
        if (held.Count == 0)
        {
            return;
        }

        try
        {
            await cluster.GetGrain<IActivityLogGrain>(0).Append(ActivityCoalescing.Coalesce(held)).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception)
        {
            LogFlushFailed(held.Count, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} activity entries: {Reason}")]
    private partial void LogFlushFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} requests from the activity log: the cluster took none while its memory was full")]
    private partial void LogDropped(long count);
}
