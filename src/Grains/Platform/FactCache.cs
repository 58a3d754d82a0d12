using System.Collections.Concurrent;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Copies of one kind of fact on this silo, each loaded from its grain on first use. A fact is forgotten when its grain
/// changes it (<see cref="SiloFacts"/>); a load that was under way while anything was forgotten does not stay, so it
/// cannot bring back a value older than the forget. Entries also expire, which bounds how long a silo that missed a
/// forget (it did not answer in time) can serve an old value, and the count is bounded whatever the keys. Expired
/// copies are swept out once per lifetime while facts are being loaded, so a key never asked for again (a customer
/// who left, a key that was replaced) does not stay in memory until the bound is reached.
/// </summary>
public sealed class FactCache<TFact>(TimeProvider clock, TimeSpan lifetime, int capacity)
    where TFact : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _lifetimeTicks = (long)(lifetime.TotalSeconds * clock.TimestampFrequency);
    private long _forgets;
    private long _nextSweep;

    public int Count => _entries.Count;

    /// <summary>The fact under <paramref name="key"/>, loaded by <paramref name="load"/> when not at hand; a null fact is never kept.</summary>
    public async ValueTask<TFact?> GetOrLoadAsync(string key, Func<Task<TFact?>> load)
    {
        var now = clock.GetTimestamp();
        if (_entries.TryGetValue(key, out var known) && now < known.ExpiresAt)
        {
            return known.Fact;
        }

        var forgetsBefore = Interlocked.Read(ref _forgets);
        var fact = await load();
        if (fact is null)
        {
            return null;
        }

        if (_entries.Count >= capacity)
        {
            // Rare (the bound is far above the live set); dropping all is cheaper than tracking use.
            _entries.Clear();
        }
        else if (now >= Interlocked.Read(ref _nextSweep))
        {
            Interlocked.Exchange(ref _nextSweep, now + _lifetimeTicks);
            DropExpired(now);
        }

        var entry = new Entry(fact, now + _lifetimeTicks);
        _entries[key] = entry;

        // Stored first, checked after: a forget that raced the load either is seen here, or removes the entry itself.
        if (Interlocked.Read(ref _forgets) != forgetsBefore)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        return fact;
    }

    public void Forget(string key)
    {
        Interlocked.Increment(ref _forgets);
        _entries.TryRemove(key, out _);
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _forgets);
        _entries.Clear();
    }

    private void DropExpired(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now >= entry.ExpiresAt)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(TFact Fact, long ExpiresAt);
}
