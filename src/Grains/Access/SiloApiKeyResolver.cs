using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

/// <summary>A co-hosted API's keys: the silo's copy of each grant, cleared on every silo when the key is revoked.</summary>
internal sealed class SiloApiKeyResolver(SiloFacts facts) : IApiKeyResolver
{
    public async Task<ApiKeyGrant?> ResolveAsync(string keyHash) => await facts.ApiKeyGrantAsync(keyHash);
}
