namespace MeiLing.Grains.Audit;

/// <summary>
/// Walks the audit log's chain once a day on a durable reminder, and on an operator's asking (P1.7, P8.1): a chain that no
/// one verifies shows nothing of an entry changed or cut off by someone who could set the database's guard aside. A broken
/// chain is logged as critical, with the first entry that does not follow; nothing about whom the entries concern.
/// </summary>
[Alias("meiling.audit-chain-watch")]
public interface IAuditChainWatchGrain : IGrainWithStringKey
{
    public const string PlatformKey = "platform";

    /// <summary>Makes sure the daily check's reminder is registered.</summary>
    [Alias("ensure-scheduled")]
    Task EnsureScheduled();

    /// <summary>
    /// Walks the chain now, a page at a time, and logs what it found as the daily check does. One walk at a time: a call
    /// while a walk runs (another operator's, or the daily one) answers with that walk's result.
    /// </summary>
    [Alias("check")]
    Task<AuditChainCheck> Check();
}
