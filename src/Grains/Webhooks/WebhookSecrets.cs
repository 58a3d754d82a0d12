using System.Security.Cryptography;
using System.Text;
using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Webhooks;

/// <summary>
/// Merchants' webhook signing secrets: made here, shown once, and stored only sealed under a platform key
/// (wrapped by the master key and rotated with it), bound to the merchant so a row copied onto another
/// merchant does not open.
/// </summary>
public sealed class WebhookSecrets(UserDataKeys keys)
{
    private const string PlatformKeyOwner = "platform:webhook-secrets";

    /// <summary>A new secret in the Standard Webhooks form: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public Task<byte[]> SealAsync(string merchantId, string secret) =>
        keys.SealAsync(PlatformKeyOwner, Encoding.UTF8.GetBytes(secret), Context(merchantId));

    public async Task<string> OpenAsync(string merchantId, byte[] sealedSecret) =>
        Encoding.UTF8.GetString(await keys.OpenAsync(PlatformKeyOwner, sealedSecret, Context(merchantId))
            ?? throw new CryptographicException("The platform's webhook key is missing."));

    private static string Context(string merchantId) => $"webhook-secret/{merchantId}";
}
