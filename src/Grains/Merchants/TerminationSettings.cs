namespace MeiLing.Grains.Merchants;

/// <summary>
/// How a merchant's termination walks its customers (P4.3): a batch per call or reminder tick, so no grain turn holds
/// every customer or order of a large merchant, or outlasts its caller's timeout.
/// </summary>
public sealed class TerminationSettings
{
    /// <summary>Customer orders and card holders told, or orders anonymized and cards settled, per call.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How soon the next batch follows one that left customers to tell or erase.</summary>
    public TimeSpan NextBatchAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whole erasure walks in a row that anonymized nothing while something still names a user, after which the walk
    /// stops going round every <see cref="NextBatchAfter"/> and waits <see cref="StalledRetryAfter"/> between walks.
    /// </summary>
    public int StalledAfterWalks { get; set; } = 3;

    /// <summary>How long a closing merchant whose erasure stalled waits before it walks its customers again.</summary>
    public TimeSpan StalledRetryAfter { get; set; } = TimeSpan.FromHours(1);
}
