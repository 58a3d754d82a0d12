namespace MeiLing.Silo.Schema;

/// <summary>Runs the one-off <see cref="LegacyUserStateImport"/> in the background after start, as the other post-migration rewrites do.</summary>
internal sealed partial class LegacyUserStateImportService(IServiceProvider services, ILogger<LegacyUserStateImportService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The grain factory answers once the silo has started, after the hosted services ahead of it.
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            var import = new LegacyUserStateImport(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), services.GetRequiredService<IGrainFactory>());
            if (await import.RunAsync(stoppingToken) is > 0 and var moved)
            {
                LogMoved(moved);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved what an earlier version kept in the states of {Count} users")]
    private partial void LogMoved(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving earlier versions' user fields failed ({Reason}); it resumes at the next start")]
    private partial void LogFailed(string reason);
}
