using System.Security.Cryptography;
using System.Text;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>AES-256-GCM from System.Security.Cryptography: nonce ‖ tag ‖ ciphertext, bound to a context string.</summary>
internal static class Aead
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, string context)
    {
        var sealedBytes = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(context));
        return sealedBytes;
    }

    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedBytes, string context)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The sealed data is too short.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes[(NonceBytes + TagBytes)..], sealedBytes.Slice(NonceBytes, TagBytes), plaintext, Encoding.UTF8.GetBytes(context));
        return plaintext;
    }
}
