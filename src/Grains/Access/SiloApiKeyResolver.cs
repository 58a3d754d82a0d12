using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

/// <summary>A co-hosted API's keys: the silo's copy of each grant, cleared on every silo when the key is revoked.</summary>
internal sealed class SiloApiKeyResolver(SiloFacts facts, TimeProvider clock) : IApiKeyResolver
{
    public async Task<ApiKeyGrant?> ResolveAsync(string keyHash)
    {
        // The grant's copy outlives a merchant's closing date; the merchant's copy is forgotten on every silo when it
        // changes, so a merchant's key or its staff's is checked against it (ClosedMerchantKeys).
        var grant = await facts.ApiKeyGrantAsync(keyHash);
        return grant is not null && ClosedMerchantKeys.NeedsItsMerchant(grant)
            && ClosedMerchantKeys.EndedWith(await facts.MerchantAsync(grant.SubjectId), clock.GetUtcNow())
            ? null
            : grant;
    }
}
