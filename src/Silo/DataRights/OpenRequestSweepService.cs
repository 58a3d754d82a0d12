using MeiLing.Grains.DataRights;

namespace MeiLing.Silo.DataRights;

/// <summary>
/// Runs the open-request sweep once, shortly after the silo starts. A request is driven by its own reminder alone;
/// the sweep is only there for a reminder lost with the reminders table (a restore, a row deleted by hand), which
/// comes with a restart. Every silo runs it; a visit is only a check that a reminder exists.
/// </summary>
internal sealed partial class OpenRequestSweepService(IServiceProvider services, ILogger<OpenRequestSweepService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstAfter, stoppingToken);
            await SweepAsync(stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open-request sweep failed ({Reason}); the next start sweeps again")]
    private partial void LogSweepFailed(string reason);
}
