using MeiLing.Grains.DataRights;

namespace MeiLing.Silo.DataRights;

/// <summary>
/// Runs the open-request sweep shortly after start and then every hour. Every silo runs it; a visit is
/// only a check that a reminder exists, so running it twice costs a read.
/// </summary>
internal sealed partial class OpenRequestSweepService(IServiceProvider services, ILogger<OpenRequestSweepService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstAfter, stoppingToken);
            using var timer = new PeriodicTimer(Every);
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        try
        {
            LogSwept(await services.GetRequiredService<OpenRequestSweep>().RunOnceAsync(stoppingToken));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSweepFailed(exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Open-request sweep visited {Count} requests")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open-request sweep failed ({Reason}); it runs again within the hour")]
    private partial void LogSweepFailed(string reason);
}
