using System.Security.Cryptography;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>
/// The master keys that wrap users' data keys. The first is current (new data keys are wrapped with
/// it); the others only unwrap, so a new master key can be rolled in without downtime and the old one
/// retired once every data key has been re-wrapped.
/// </summary>
public sealed class MasterKeyRing
{
    public const int KeyBytes = 32;

    private static readonly byte[] CheckLabel = "meiling/key-check/v1/master-key"u8.ToArray();

    private readonly Dictionary<string, byte[]> _keys;

    private MasterKeyRing(string currentId, Dictionary<string, byte[]> keys)
    {
        CurrentId = currentId;
        _keys = keys;
    }

    public string CurrentId { get; }

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>Parses <c>id:base64[,id:base64…]</c>: 32-byte keys, the first current.</summary>
    public static MasterKeyRing Parse(string text)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? current = null;
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = entry.IndexOf(':', StringComparison.Ordinal);
            if (separator < 1)
            {
                throw new FormatException("Each master key is written id:base64.");
            }

            var id = entry[..separator];
            var key = Convert.FromBase64String(entry[(separator + 1)..]);
            if (key.Length != KeyBytes || !keys.TryAdd(id, key))
            {
                throw new FormatException($"Master key '{id}' must be {KeyBytes} bytes and named once.");
            }

            current ??= id;
        }

        return current is null ? throw new FormatException("No master key given.") : new MasterKeyRing(current, keys);
    }

    public static bool TryParse(string? text, out MasterKeyRing? ring)
    {
        try
        {
            ring = string.IsNullOrWhiteSpace(text) ? null : Parse(text);
            return ring is not null;
        }
        catch (FormatException)
        {
            ring = null;
            return false;
        }
    }

    /// <summary>A new ring entry: an id and a fresh random key, in the text form <see cref="Parse"/> reads.</summary>
    public static string NewKeyText(string id) => $"{id}:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes))}";

    /// <summary>
    /// A value that tells whether another silo's key of the same id is this one, without revealing it: HMAC-SHA256 of a fixed
    /// label under the key (P4.1, P4.4: silos compare it at start, PlatformKeyChecks). Null when the id is not in the ring.
    /// </summary>
    public byte[]? CheckValue(string masterKeyId) =>
        _keys.TryGetValue(masterKeyId, out var key) ? HMACSHA256.HashData(key, CheckLabel) : null;

    /// <summary>Wraps a data key under the current master key (AES-256-GCM, the user id as associated data).</summary>
    public byte[] Wrap(byte[] dataKey, string userId) => Aead.Seal(_keys[CurrentId], dataKey, userId);

    public byte[] Unwrap(string masterKeyId, byte[] wrapped, string userId) =>
        _keys.TryGetValue(masterKeyId, out var key)
            ? Aead.Open(key, wrapped, userId)
            : throw new CryptographicException($"Master key '{masterKeyId}' is not in the ring.");
}
