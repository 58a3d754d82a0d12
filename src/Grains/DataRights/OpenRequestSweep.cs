using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// Walks every open request in the index and has each make sure its reminder exists, so that a request
/// whose reminder was lost (a restored reminders table, a row deleted by hand) is still carried out
/// within its 15 days (P8.1) without anyone having to read it first.
/// </summary>
public sealed partial class OpenRequestSweep(IGrainFactory grains, DataRightsRequestIndexStore requests, ILogger<OpenRequestSweep> logger)
{
    private const int PageSize = 500;

    /// <summary>Returns how many open requests were visited.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var visited = 0;
        RequestPosition? after = null;
        do
        {
            var (requestIds, next) = await requests.OpenAsync(dueBefore: null, after, PageSize);
            foreach (var batch in requestIds.Chunk(32))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.WhenAll(batch.Select(KeepDrivenAsync));
                visited += batch.Length;
            }

            after = next;
        }
        while (after is not null);

        return visited;
    }

    // One request that cannot answer now (its silo going down) must not keep the sweep from the rest.
    private async Task KeepDrivenAsync(string requestId)
    {
        try
        {
            await grains.GetGrain<IDataRightsRequestGrain>(requestId).KeepDriven();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRequestSkipped(requestId, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open-request sweep skipped {RequestId} ({Reason}); the next sweep visits it again")]
    private partial void LogRequestSkipped(string requestId, string reason);
}
