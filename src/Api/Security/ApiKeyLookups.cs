using System.Collections.Concurrent;
using MeiLing.Grains.Access;

namespace MeiLing.Api.Security;

/// <summary>
/// One lookup in flight per key hash on this API host: concurrent requests with the same key share it.
/// An unknown key's grain deactivates itself after answering; a burst of calls queued on it would be
/// forwarded from one deactivating activation to the next until Orleans refuses them (a 503), so only one
/// goes, and the rest wait for its answer (then for <see cref="UnknownApiKeys"/>).
/// </summary>
public sealed class ApiKeyLookups(IApiKeyResolver resolver)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ApiKeyGrant?>>> _inFlight = new(StringComparer.Ordinal);

    public async Task<ApiKeyGrant?> ResolveAsync(string keyHash)
    {
        var lookup = _inFlight.GetOrAdd(keyHash, hash => new Lazy<Task<ApiKeyGrant?>>(() => resolver.ResolveAsync(hash)));
        try
        {
            return await lookup.Value;
        }
        finally
        {
            // Only answers in flight are shared: the next request asks again, so a revoke acts at once.
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<ApiKeyGrant?>>>(keyHash, lookup));
        }
    }
}
