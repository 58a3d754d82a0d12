using Microsoft.Extensions.Caching.Memory;

namespace MeiLing.Api.Security;

/// <summary>
/// Keys this host saw lately, each for <c>lifetime</c>, at most <c>capacity</c> of them: the bound holds memory whatever
/// the flood, and a key not remembered (the set full) only costs what remembering it would have saved.
/// </summary>
public abstract class RememberedBriefly(int capacity, TimeSpan lifetime, bool slidingOnUse = false) : IDisposable
{
    private readonly MemoryCache _keys = new(new MemoryCacheOptions { SizeLimit = capacity });

    // When a key was last remembered (Environment.TickCount64): MemoryCache.Count takes every lock of its dictionaries.
    private long _lastRemembered = long.MinValue / 2;

    /// <summary>Whether a key may be remembered (one was, within the lifetime): every request may ask, and mostly none is.</summary>
    public bool Any => Environment.TickCount64 - Volatile.Read(ref _lastRemembered) < (long)lifetime.TotalMilliseconds;

    /// <summary>Whether the key is remembered; with <c>slidingOnUse</c>, asking keeps it remembered another lifetime.</summary>
    public bool Contains(string key) => _keys.TryGetValue(key, out _);

    public void Remember(string key)
    {
        _keys.Set(key, true, slidingOnUse
            ? new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = lifetime }
            : new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        Volatile.Write(ref _lastRemembered, Environment.TickCount64);
    }

    /// <summary>Forgets a key at once (a key found revoked is no longer one lately valid).</summary>
    public void Forget(string key) => _keys.Remove(key);

    public void Dispose()
    {
        _keys.Dispose();
        GC.SuppressFinalize(this);
    }
}
