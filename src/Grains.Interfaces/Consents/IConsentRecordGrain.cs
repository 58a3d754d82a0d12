namespace MeiLing.Grains.Consents;

/// <summary>One consent receipt, keyed by its receipt id (<c>rcp_…</c>); written once, never changed.</summary>
[Alias("meiling.consent-record")]
public interface IConsentRecordGrain : IGrainWithStringKey
{
    /// <summary>Writes the receipt; a second write is a conflict.</summary>
    [Alias("write")]
    Task Write(ConsentReceipt receipt);

    /// <summary>Replaces the user id with a pseudonym that leads nowhere (P4.1); the decision itself is kept.</summary>
    [Alias("pseudonymize")]
    Task<bool> Pseudonymize(string pseudonym);

    /// <summary>The receipt, or null.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<ConsentReceipt?> Get();
}
