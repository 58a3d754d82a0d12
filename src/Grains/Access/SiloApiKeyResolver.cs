using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

/// <summary>A co-hosted API's keys: the silo's copy of each grant, cleared on every silo when the key is revoked.</summary>
internal sealed class SiloApiKeyResolver(SiloFacts facts) : IApiKeyResolver
{
    public async Task<ApiKeyGrant?> ResolveAsync(string keyHash)
    {
        // The grant's copy outlives a merchant's termination; the merchant's copy is forgotten on every silo when it
        // closes, so a staff key is checked against it (StaffKeys).
        var grant = await facts.ApiKeyGrantAsync(keyHash);
        return grant is not null && StaffKeys.NeedsItsMerchant(grant) && StaffKeys.EndedWith(await facts.MerchantAsync(grant.SubjectId))
            ? null
            : grant;
    }
}
