namespace MeiLing.Grains.Transfers;

/// <summary>How a business transfer hands its users over (P3.2): a batch per reminder tick, so no grain turn walks them all.</summary>
public sealed class TransferSettings
{
    /// <summary>Users settled (handed over or left out) per tick.</summary>
    public int HandOverBatchSize { get; set; } = 200;

    /// <summary>
    /// Customers listed under the transfer, and users told of it, per call or tick: a merchant's customers are never
    /// all loaded in one turn (P4.4).
    /// </summary>
    public int NoticeBatchSize { get; set; } = 200;

    /// <summary>How soon the next batch follows one that left users unsettled, unlisted or untold.</summary>
    public TimeSpan NextBatchAfter { get; set; } = TimeSpan.FromSeconds(1);
}
