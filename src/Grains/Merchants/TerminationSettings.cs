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
}
