using MeiLing.Grains.Access;

namespace MeiLing.Grains.Merchants;

/// <summary>A merchant that sells on the platform, keyed by its merchant id (<c>mer_…</c>).</summary>
[Alias("meiling.merchant")]
public interface IMerchantGrain : IGrainWithStringKey
{
    /// <summary>Opens the merchant and issues its API key; a merchant opens once (409 after).</summary>
    [Alias("open")]
    Task<IssuedKey> Open(OpenMerchant command);

    /// <summary>The merchant, or null when no merchant has this id.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<MerchantView?> Get();
}
