namespace MeiLing.Grains.Consents;

/// <summary>One consent receipt, keyed by its receipt id (<c>rcp_…</c>); written once, never changed.</summary>
[Alias("meiling.consent-record")]
public interface IConsentRecordGrain : IGrainWithStringKey
{
    /// <summary>The receipt, or null.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<ConsentReceipt?> Get();
}
