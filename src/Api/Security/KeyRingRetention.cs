using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace MeiLing.Api.Security;

/// <summary>
/// Deletes the shared key ring's keys that expired more than <see cref="Retention"/> ago, when a host starts and
/// once a day after: the ring gains a key every 90 days, and without this the table kept every key for ever.
/// </summary>
/// <remarks>
/// Why 180 days after expiry: a key protects new payloads only until it expires, and the longest-lived of them is
/// the console cookie, 8 hours (<c>ConsoleAuthentication</c>, not sliding); antiforgery tokens live for a page or
/// a browser session, and one whose key is gone is only refused and issued anew. Half a year past expiry no
/// payload of the key is still honoured, and a payload an attacker kept from back then opens nothing. An expired
/// key is never the one protecting, so the current and every unexpired key stay whatever the clock says; the
/// framework deletes a deleted key's revocations with it. Several hosts pruning at once take turns (the
/// repository locks the rows), the later one finding nothing left to delete.
/// </remarks>
internal sealed partial class KeyRingRetention(IKeyManager keyManager, TimeProvider clock, ILogger<KeyRingRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(180);

    private static readonly TimeSpan Every = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The repository's calls are synchronous (the framework's interface): off the host's start-up path.
        await Task.Yield();
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            Prune();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes the keys expired before now less <see cref="Retention"/>; a failure is logged and tried again the next day.</summary>
    private void Prune()
    {
        // The framework's XmlKeyManager deletes (through the repository's IDeletableXmlRepository) but, in ASP.NET
        // Core 10, does not declare IDeletableKeyManager: either is taken.
        Func<Func<IKey, bool>, bool>? deleteKeys = keyManager switch
        {
            IDeletableKeyManager { CanDeleteKeys: true } deletable => deletable.DeleteKeys,
            XmlKeyManager { CanDeleteKeys: true } xml => xml.DeleteKeys,
            _ => null,
        };
        if (deleteKeys is null)
        {
            return;
        }

        var before = clock.GetUtcNow() - Retention;
        try
        {
            if (!deleteKeys(key => key.ExpirationDate < before))
            {
                LogPruneFailed("a deletion did not succeed");
            }
        }
        catch (Exception exception)
        {
            // Pruning is housekeeping: a database outage or an unreadable row must never stop the API host.
            LogPruneFailed(exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired data-protection keys were not deleted: {Reason}")]
    private partial void LogPruneFailed(string reason);
}
