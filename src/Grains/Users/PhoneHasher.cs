using System.Security.Cryptography;
using System.Text;
using MeiLing.Grains.Privacy;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Users;

/// <summary>
/// The phone index key: HMAC-SHA256 of the normalized number under a deployment secret. Without the
/// secret, the 10^10 possible numbers cannot be hashed to find which one a key stands for.
/// </summary>
public sealed class PhoneHasher(IOptions<PrivacySettings> settings)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(settings.Value.PhoneHashKey);

    public string IndexKey(string normalizedPhone) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(normalizedPhone)));
}
