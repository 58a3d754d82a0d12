using MeiLing.Grains.Access;

namespace MeiLing.Api.Security;

/// <summary>An API host of its own asks the key's grain on every request: no silo can tell it of a revocation.</summary>
public sealed class ClusterApiKeyResolver(IClusterClient cluster) : IApiKeyResolver
{
    public Task<ApiKeyGrant?> ResolveAsync(string keyHash) => cluster.GetGrain<IApiKeyGrain>(keyHash).Resolve();
}
