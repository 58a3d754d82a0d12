namespace MeiLing.Grains.Access;

/// <summary>
/// One issued API key, keyed by the lower-case hex SHA-256 of the key. The key itself is never
/// stored: it is shown once, when issued, and afterwards only its hash can be looked up.
/// </summary>
[Alias("meiling.api-key")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Records the grant; issuing the same hash twice is a conflict.</summary>
    [Alias("issue")]
    Task Issue(ApiKeyGrant grant);

    /// <summary>The grant, or null for a key that was never issued or was revoked.</summary>
    [Alias("resolve")]
    [ReadOnly]
    Task<ApiKeyGrant?> Resolve();

    /// <summary>Forgets the key: its row is deleted and it no longer authenticates.</summary>
    [Alias("revoke")]
    Task Revoke();
}
