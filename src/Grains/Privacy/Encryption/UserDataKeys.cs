using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>
/// Seals and opens a user's personal data with that user's own data key (crypto-shredding, P4.1, A.2).
/// Data keys are random 256-bit AES-GCM keys, stored only wrapped by the master key; once a user's key
/// row is deleted, every copy of what it sealed — old rows, backups, dumps — stays unreadable.
/// Unwrapped keys are cached briefly per silo, so a shredded key stops working everywhere within that time (a copy in
/// use is reloaded in the background near its end, and never used past it); the copies are bounded in number, so a
/// silo does not keep one for every user it ever served.
/// </summary>
public sealed class UserDataKeys(UserKeyStore store, MasterKeyRing ring, TimeProvider clock, int cacheCapacity = UserDataKeys.DefaultCacheCapacity)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    /// <summary>How long before its end a copy in use is reloaded in the background.</summary>
    private static readonly TimeSpan RefreshWithin = TimeSpan.FromSeconds(10);

    public const int DefaultCacheCapacity = 100_000;

    private readonly ConcurrentDictionary<string, CachedKey> _cache = new();
    private readonly ConcurrentDictionary<(string UserId, bool Create), Task<CachedKey?>> _loads = new();
    private long _nextSweepTicks;

    /// <summary>Keys this silo holds unwrapped now.</summary>
    internal int CachedKeyCount => _cache.Count;

    /// <summary>Seals bytes under the user's key, creating the key on first use.</summary>
    public Task<byte[]> SealAsync(string userId, ReadOnlyMemory<byte> plaintext) => SealAsync(userId, plaintext, userId);

    /// <summary>Seals bytes under the user's key, bound to <paramref name="context"/> (AES-GCM associated data).</summary>
    public async Task<byte[]> SealAsync(string userId, ReadOnlyMemory<byte> plaintext, string context) =>
        Aead.Seal(await KeyAsync(userId, create: true) ?? throw new CryptographicException("No data key."), plaintext.Span, context);

    public Task<byte[]> SealAsync(string userId, string plaintext) => SealAsync(userId, Encoding.UTF8.GetBytes(plaintext));

    /// <summary>
    /// A sealer for each of <paramref name="userIds"/> who has a key, from one query (a batch of many users' activity);
    /// the users without one (never registered, or shredded) are left out.
    /// </summary>
    /// <remarks>Asks the database, not the cache: another silo may have shredded a key a moment ago.</remarks>
    public async Task<IReadOnlyDictionary<string, Func<byte[], byte[]>>> SealersIfKeyedAsync(IReadOnlyCollection<string> userIds)
    {
        var rows = await store.FindManyAsync(userIds);
        var now = clock.GetUtcNow();
        var sealers = new Dictionary<string, Func<byte[], byte[]>>(rows.Count, StringComparer.Ordinal);
        foreach (var userId in userIds)
        {
            if (rows.TryGetValue(userId, out var row))
            {
                var copy = NewCopy(userId, row, now);
                if (_cache.TryGetValue(userId, out var held))
                {
                    copy.AdoptPseudonymsOf(held);
                }

                Keep(userId, copy, now);
                sealers[userId] = plaintext => Aead.Seal(copy.Key, plaintext, userId);
            }
            else
            {
                _cache.TryRemove(userId, out _);
            }
        }

        return sealers;
    }

    /// <summary>Opens what was sealed for the user; null when the user's key no longer exists (shredded).</summary>
    public Task<byte[]?> OpenAsync(string userId, byte[] sealedBytes) => OpenAsync(userId, sealedBytes, userId);

    /// <summary>Opens what was sealed for the user under <paramref name="context"/>; a different context fails to open.</summary>
    public async Task<byte[]?> OpenAsync(string userId, byte[] sealedBytes, string context) =>
        await KeyAsync(userId, create: false) is { } key ? Aead.Open(key, sealedBytes, context) : null;

    public async Task<string?> OpenTextAsync(string userId, byte[] sealedBytes) =>
        await OpenAsync(userId, sealedBytes) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>
    /// The user's pseudonym for <paramref name="purpose"/>: an HMAC-SHA256 of the user id under a key derived
    /// from the user's data key. Stable while that key lives, so rows can be found and counted by it; nobody
    /// can compute it, and so join it to the user, once the key is shredded (P4.1). Null when the user has
    /// no key and <paramref name="create"/> is false.
    /// </summary>
    public async Task<string?> PseudonymAsync(string userId, string purpose, bool create = false)
    {
        if (await CachedKeyAsync(userId, create) is not { } cached)
        {
            return null;
        }

        // A pseudonym is a function of the key, the purpose and the user id alone: it is kept with the key's copy and
        // goes with it, so it is derived once per copy rather than on every order.
        return cached.Pseudonyms.GetOrAdd(purpose, static (purpose, state) =>
        {
            var hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, state.Key, 32, info: Encoding.UTF8.GetBytes($"meiling/pseudonym/{purpose}"));
            return "psn_" + Convert.ToHexStringLower(HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes(state.UserId)));
        }, (cached.Key, UserId: userId));
    }

    /// <summary>Deletes the user's key for good; returns 1 when there was one.</summary>
    public async Task<int> ShredAsync(string userId)
    {
        _cache.TryRemove(userId, out _);
        return await store.DeleteAsync(userId);
    }

    public async Task<bool> ExistsAsync(string userId) => await store.FindAsync(userId) is not null;

    /// <summary>Re-wraps keys still under an older master key with the current one; returns how many.</summary>
    public async Task<int> RewrapAsync(int batch = 500)
    {
        var total = 0;
        while (true)
        {
            var rows = await store.NotWrappedByAsync(ring.CurrentId, batch);
            if (rows.Count == 0)
            {
                return total;
            }

            foreach (var (userId, masterKeyId, wrapped) in rows)
            {
                var dataKey = ring.Unwrap(masterKeyId, wrapped, userId);
                await store.RewrapAsync(userId, masterKeyId, ring.CurrentId, ring.Wrap(dataKey, userId));
                total++;
            }
        }
    }

    private async Task<byte[]?> KeyAsync(string userId, bool create) => (await CachedKeyAsync(userId, create))?.Key;

    private async Task<CachedKey?> CachedKeyAsync(string userId, bool create)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(userId, out var cached) && cached.Until > now)
        {
            if (cached.RefreshFrom <= now)
            {
                RefreshInBackground(userId, cached);
            }

            return cached;
        }

        // Concurrent misses for one user (a burst of their orders) share one query instead of each sending its own.
        var load = _loads.GetOrAdd((userId, create), static (key, self) => self.LoadDetachedAsync(key.UserId, key.Create), this);
        try
        {
            return await load;
        }
        finally
        {
            _loads.TryRemove(KeyValuePair.Create((userId, create), load));
        }
    }

    // Run off the caller's scheduler: other grains' calls await the same load, and its continuations must not queue
    // behind the activation that happened to start it.
    private Task<CachedKey?> LoadDetachedAsync(string userId, bool create) => Task.Run(() => LoadAsync(userId, create));

    private async Task<CachedKey?> LoadAsync(string userId, bool create)
    {
        var found = await store.FindAsync(userId);
        if (found is null && create)
        {
            var fresh = RandomNumberGenerator.GetBytes(MasterKeyRing.KeyBytes);
            await store.AddAsync(userId, ring.CurrentId, ring.Wrap(fresh, userId));
            found = await store.FindAsync(userId);
        }

        if (found is not { } row)
        {
            _cache.TryRemove(userId, out _);
            return null;
        }

        var now = clock.GetUtcNow();
        var copy = NewCopy(userId, row, now);
        Keep(userId, copy, now);
        return copy;
    }

    /// <summary>
    /// Reloads a copy in use during the last part of its lifetime, while callers go on with it: a user who keeps
    /// buying never waits for their key's query. The copy is replaced only if it is still the one held (a shred on this
    /// silo removed it: it stays removed), and dropped at once if the key is gone (shredded by another silo).
    /// </summary>
    private void RefreshInBackground(string userId, CachedKey held)
    {
        if (!held.TryStartRefresh())
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (await store.FindAsync(userId) is { } row)
                {
                    var fresh = NewCopy(userId, row, clock.GetUtcNow());
                    fresh.AdoptPseudonymsOf(held);
                    _cache.TryUpdate(userId, fresh, held);
                }
                else
                {
                    _cache.TryRemove(KeyValuePair.Create(userId, held));
                }
            }
            catch (Exception)
            {
                // Nothing is lost: the copy lives out its lifetime, and the first caller after it loads the key itself,
                // where a failure reaches that caller.
            }
        });
    }

    // Lifetimes are spread over the last quarter of CacheFor, never beyond it: copies loaded together (a phase's first
    // orders, spread over thousands of customers) would otherwise expire together, and their users' next orders would all
    // query the key table at once on the pool the group commit writes through.
    private CachedKey NewCopy(string userId, (string MasterKeyId, byte[] Wrapped) row, DateTimeOffset now)
    {
        var lifetime = CacheFor - TimeSpan.FromTicks(Random.Shared.NextInt64(CacheFor.Ticks / 4));
        return new CachedKey(ring.Unwrap(row.MasterKeyId, row.Wrapped, userId), now + lifetime, now + lifetime - RefreshWithin);
    }

    private void Keep(string userId, CachedKey copy, DateTimeOffset now)
    {
        var full = _cache.Count >= cacheCapacity && !_cache.ContainsKey(userId);
        if (full || now.UtcTicks >= Interlocked.Read(ref _nextSweepTicks))
        {
            // An expired copy is never used again, but would stay until its user is asked for again, which may be never:
            // the copies are swept once per lifetime while keys are being loaded, and whenever the bound is reached.
            Interlocked.Exchange(ref _nextSweepTicks, (now + CacheFor).UtcTicks);
            foreach (var (id, entry) in _cache)
            {
                if (entry.Until <= now)
                {
                    _cache.TryRemove(new KeyValuePair<string, CachedKey>(id, entry));
                }
            }
        }

        if (full && _cache.Count >= cacheCapacity)
        {
            // The live copies alone fill the bound: reloading is one query each, growing without end is not.
            _cache.Clear();
        }

        _cache[userId] = copy;
    }

    private sealed class CachedKey(byte[] key, DateTimeOffset until, DateTimeOffset refreshFrom)
    {
        public byte[] Key => key;

        public DateTimeOffset Until => until;

        public DateTimeOffset RefreshFrom => refreshFrom;

        private ConcurrentDictionary<string, string>? _pseudonyms;
        private int _refreshing;

        /// <summary>The user's pseudonyms by purpose, derived from this key (made on first use: most copies never need one).</summary>
        public ConcurrentDictionary<string, string> Pseudonyms =>
            LazyInitializer.EnsureInitialized(ref _pseudonyms, static () => new(StringComparer.Ordinal));

        /// <summary>True for the one caller that reloads this copy.</summary>
        public bool TryStartRefresh() => Interlocked.Exchange(ref _refreshing, 1) == 0;

        /// <summary>Keeps the pseudonyms already derived from the same key (a reload finds the same key, rewrapped or not).</summary>
        public void AdoptPseudonymsOf(CachedKey older)
        {
            if (older._pseudonyms is { } derived && CryptographicOperations.FixedTimeEquals(key, older.Key))
            {
                _pseudonyms = derived;
            }
        }
    }
}
