namespace MeiLing.Grains.Access;

/// <summary>
/// How an API host learns what a key stands for, by the key's hash: an API host of its own asks the key's grain
/// each time; an API co-hosted in a silo reads the silo's copy, which the key's revocation clears on every silo.
/// </summary>
public interface IApiKeyResolver
{
    /// <summary>The grant, or null for a key that was never issued or was revoked.</summary>
    Task<ApiKeyGrant?> ResolveAsync(string keyHash);
}
