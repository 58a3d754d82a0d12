namespace MeiLing.Grains.Reports;

/// <summary>
/// A merchant's takings reports, keyed by merchant id. They read the takings ledger (payments and refunds, by
/// order, method and time, nothing about the customer), so an erased customer's orders still count.
/// </summary>
[Alias("meiling.merchant-reports")]
public interface IMerchantReportsGrain : IGrainWithStringKey
{
    /// <summary>The takings of one calendar day in the merchant's time zone.</summary>
    [Alias("daily")]
    [ReadOnly]
    Task<DailyReport> Daily(DateOnly date);
}
