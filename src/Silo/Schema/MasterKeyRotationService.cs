using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Silo.Schema;

/// <summary>
/// Re-wraps users' data keys still under an older master key, in the background after start: the
/// "promote" step of a master-key rotation (stage, promote, retire; docs/security.md).
/// </summary>
internal sealed partial class MasterKeyRotationService(IServiceProvider services, ILogger<MasterKeyRotationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            // P4.1: never re-wrap under a master key that is not the cluster's (started after the check anyway; said here too).
            await services.GetRequiredService<PlatformKeyCheckService>().Passed.WaitAsync(stoppingToken);
            var rewrapped = await services.GetRequiredService<UserDataKeys>().RewrapAsync();
            if (rewrapped > 0)
            {
                LogRewrapped(rewrapped);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogRewrapFailed(exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-wrapped {Count} user data keys under the current master key")]
    private partial void LogRewrapped(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-wrapping user data keys failed ({Reason}); it is tried again at the next start")]
    private partial void LogRewrapFailed(string reason);
}
