using MeiLing.Grains.Orders;

namespace MeiLing.Silo.Schema;

/// <summary>
/// Rewrites listing rows written before migration 0013 (user id in clear beside the total, A.2) with the
/// user's pseudonym and sealed id, in the background after start. It needs each user's data key, which the
/// migration's SQL cannot have; running on every silo at once is harmless (each rewrite is conditional).
/// Users without a key keep their rows as they are: their account was cancelled, and the cancellation's
/// verification finds such rows by user id and anonymizes them.
/// </summary>
internal sealed partial class OrderIndexPseudonymService(IServiceProvider services, ILogger<OrderIndexPseudonymService> logger) : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            var index = services.GetRequiredService<OrderIndexStore>();
            var users = 0;
            var after = "";
            while (await index.UsersWithLegacyRowsAsync(after, Batch) is { Count: > 0 } batch)
            {
                foreach (var userId in batch)
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    await index.PseudonymizeLegacyRowsAsync(userId);
                }

                users += batch.Count;
                after = batch[^1];
            }

            if (users > 0)
            {
                LogRewritten(users);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogFailed(exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pseudonymized the order listing rows of {Count} users")]
    private partial void LogRewritten(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pseudonymizing order listing rows failed ({Reason}); it is tried again at the next start")]
    private partial void LogFailed(string reason);
}
