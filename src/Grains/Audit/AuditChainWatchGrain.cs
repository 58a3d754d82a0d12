using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Audit;

/// <summary>
/// Walks the audit log's chain itself (P1.7, P8.1), straight from the database a page at a time, so a walk of any length holds
/// none of the audit log's workers that append, and no query or grain turn holds the whole log. One walk at a time: reentrant,
/// so an operator's call or the daily reminder arriving while a walk runs shares that walk's result instead of queueing behind
/// it or starting another (operators may ask ten times a second); a walk that outlasts its caller's timeout still ends, logs
/// what it found, and answers the callers that joined it.
/// </summary>
[Reentrant]
internal sealed partial class AuditChainWatchGrain(
    IAuditChainStore store,
    IOptions<AuditSettings> settings,
    TimeProvider clock,
    ILogger<AuditChainWatchGrain> logger) : Grain, IAuditChainWatchGrain, IRemindable
{
    private const string ReminderName = "audit-chain-check";
    private static readonly TimeSpan CheckEvery = TimeSpan.FromDays(1);

    private Task<AuditChainCheck>? _walk;

    async Task IAuditChainWatchGrain.EnsureScheduled() =>
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(5), CheckEvery);

    Task<AuditChainCheck> IAuditChainWatchGrain.Check() => CheckAsync();

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => await CheckAsync();

    private Task<AuditChainCheck> CheckAsync()
    {
        // Read and set within one turn (no await between), so two callers never start two walks.
        if (_walk is { IsCompleted: false } running)
        {
            return running;
        }

        _walk = WalkAndLogAsync();
        return _walk;
    }

    private async Task<AuditChainCheck> WalkAndLogAsync()
    {
        var verification = await WalkAsync();
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

    private async Task<AuditVerification> WalkAsync()
    {
        // Where the log ends first: entries appended while the chain is walked come after it and are left to the next walk,
        // so the walk has an end however fast entries come.
        var ends = await store.ReadEndsAsync();
        (long Sequence, string Hash)? head = ends is { HeadSequence: { } sequence, HeadHash: { } hash } ? (sequence, hash) : null;
        var pageSize = settings.Value.VerifyPageSize;
        var previous = AuditLogGrain.Genesis;
        long expected = 1;
        long checkedCount = 0;
        var headReached = head is { Sequence: 0, Hash: AuditLogGrain.Genesis };
        if (ends.NewestSequence is { } newest)
        {
            // From the lowest sequence there is, so an entry slipped in before the first is read (and breaks the chain) too.
            var after = long.MinValue;
            IReadOnlyList<AuditRecord> page;
            do
            {
                page = await store.ReadPageAsync(after, newest, pageSize);
                foreach (var record in page)
                {
                    checkedCount++;
                    if (record.Sequence != expected || record.Hash != AuditLogGrain.Chain(previous, record.Sequence, record.At, record.Entry))
                    {
                        return new AuditVerification(checkedCount, false, expected);
                    }

                    headReached |= head is { } anchor && anchor.Sequence == record.Sequence && anchor.Hash == record.Hash;
                    previous = record.Hash;
                    after = record.Sequence;
                    expected++;
                }
            }
            while (page.Count == pageSize);
        }

        // P8.1: the newest entries removed (or rewritten and chained again) leave a chain that is intact as
        // far as it goes; the head says how far it went, and what its last entry was.
        return headReached
            ? new AuditVerification(checkedCount, true, null)
            : new AuditVerification(checkedCount, false, head is { } missed ? Math.Min(expected, missed.Sequence) : expected);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit log's chain is intact ({Entries} entries)")]
    private partial void LogIntact(long entries);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The audit log's chain is broken at entry {Sequence} ({Entries} entries read): an entry was changed, removed or cut off")]
    private partial void LogBroken(long entries, long? sequence);
}
