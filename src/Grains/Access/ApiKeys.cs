using System.Security.Cryptography;
using System.Text;

namespace MeiLing.Grains.Access;

/// <summary>
/// Makes and hashes API keys. Keys carry 256 random bits, so a plain SHA-256 is a safe lookup
/// hash (no salt or slow hash needed: there is nothing to guess), and it is what the store keeps.
/// </summary>
public static class ApiKeys
{
    /// <summary>A new key of <see cref="ApiKeyShape"/>: a prefix naming the role, then 43 base64url characters.</summary>
    public static string NewKey(CallerRole role) =>
        $"{ApiKeyShape.PrefixOf(role)}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";

    /// <summary>The lookup hash of a key: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Hash(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    /// <summary>Issues a key for a subject: records its hash, returns the key (shown once).</summary>
    public static Task<IssuedKey> IssueAsync(IGrainFactory grains, CallerRole role, string subjectId, DateTimeOffset now) =>
        IssueAsync(grains, role, subjectId, now, NewKey(role));

    /// <summary>
    /// Issues a key made beforehand with <see cref="NewKey"/>, so that its owner can record the key's hash
    /// (and later revoke it) before the key works.
    /// </summary>
    public static Task<IssuedKey> IssueAsync(IGrainFactory grains, CallerRole role, string subjectId, DateTimeOffset now, string apiKey) =>
        IssueAsync(grains, new ApiKeyGrant(role, subjectId, now), apiKey);

    /// <summary>Issues a key made beforehand for a grant (a merchant's staff member's names them and their role).</summary>
    public static async Task<IssuedKey> IssueAsync(IGrainFactory grains, ApiKeyGrant grant, string apiKey)
    {
        await grains.GetGrain<IApiKeyGrain>(Hash(apiKey)).Issue(grant);
        return new IssuedKey(grant.StaffId ?? grant.SubjectId, apiKey);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
