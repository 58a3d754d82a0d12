using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Audit;

internal sealed partial class AuditChainWatchGrain(TimeProvider clock, ILogger<AuditChainWatchGrain> logger) : Grain, IAuditChainWatchGrain, IRemindable
{
    private const string ReminderName = "audit-chain-check";
    private static readonly TimeSpan CheckEvery = TimeSpan.FromDays(1);

    async Task IAuditChainWatchGrain.EnsureScheduled() =>
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(5), CheckEvery);

    Task<AuditChainCheck> IAuditChainWatchGrain.Check() => CheckAsync();

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => await CheckAsync();

    // The walk reads the whole log on one of the audit log's stateless activations: appends go on beside it.
    private async Task<AuditChainCheck> CheckAsync()
    {
        var verification = await GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey).Verify();
        var check = new AuditChainCheck(clock.GetUtcNow(), verification.EntriesChecked, verification.Intact, verification.FirstBrokenSequence);
        if (check.Intact)
        {
            LogIntact(check.EntriesChecked);
        }
        else
        {
            LogBroken(check.EntriesChecked, check.FirstBrokenSequence);
        }

        return check;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit log's chain is intact ({Entries} entries)")]
    private partial void LogIntact(long entries);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The audit log's chain is broken at entry {Sequence} ({Entries} entries read): an entry was changed, removed or cut off")]
    private partial void LogBroken(long entries, long? sequence);
}
