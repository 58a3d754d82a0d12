using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace MeiLing.Api.Security;

/// <summary>
/// Seals the secret of each data-protection key before it is stored (AES-256-GCM under a key derived with HKDF
/// from the session signing key, <c>MEILING_JWT_KEY</c>), so someone who reads the key ring's table, a dump or a
/// backup cannot forge a support console cookie or an antiforgery token with it.
/// </summary>
/// <remarks>
/// Why the session key and not the master keys: the ring is the API tier's own material, and the session key is
/// the secret every API host already shares and the database never sees: sealing under it adds no secret to keep,
/// and whoever holds it can forge any user's session already. The master keys stay in the silos alone (an API
/// host of its own never holds them). Rotating the session key ends every session: the ring's keys can then not
/// be opened, and the hosts make a new one, so console sessions and open forms end too.
/// </remarks>
public sealed class KeyRingSeal
{
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    // The HKDF label and the AES-GCM associated data: a key used for nothing else, and a sealed secret that opens as nothing else.
    private static readonly byte[] Purpose = "meiling/data-protection-key-ring/v1"u8.ToArray();

    private readonly byte[] _key;

    public KeyRingSeal(byte[] sessionKey) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, sessionKey, KeyBytes, salt: [], info: Purpose);

    public byte[] Seal(byte[] plaintext)
    {
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), Purpose);
        return sealedBytes;
    }

    /// <summary>The plaintext; a <see cref="CryptographicException"/> when the secret was sealed under another key or altered.</summary>
    public byte[] Open(byte[] sealedBytes)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("A sealed key-ring secret is too short.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), plaintext, Purpose);
        return plaintext;
    }
}

/// <summary>The framework's hook that seals a key's secret with <see cref="KeyRingSeal"/> before the key is stored.</summary>
public sealed class SealedKeyXmlEncryptor(KeyRingSeal seal) : IXmlEncryptor
{
    public const string ElementName = "sealedSecret";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedElement = new XElement(ElementName,
            new XAttribute("version", 1),
            new XComment(" AES-256-GCM under a key derived from MEILING_JWT_KEY (docs/security.md) "),
            new XElement("value", Convert.ToBase64String(seal.Seal(plaintext))));
        return new EncryptedXmlInfo(sealedElement, typeof(SealedKeyXmlDecryptor));
    }
}

/// <summary>
/// Opens what <see cref="SealedKeyXmlEncryptor"/> sealed. The framework finds it by the type name stored with each
/// key (<c>decryptorType</c>) and builds it with the host's services: renaming or moving this class makes every
/// stored key unreadable (hosts then make a new key, ending console sessions).
/// </summary>
public sealed class SealedKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var value = encryptedElement.Element("value")?.Value
            ?? throw new CryptographicException("A sealed key-ring secret has no value.");
        var plaintext = services.GetRequiredService<KeyRingSeal>().Open(Convert.FromBase64String(value));
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
