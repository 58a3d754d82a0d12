using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MeiLing.Grains.Access;

namespace MeiLing.Api.Security;

/// <summary>
/// Who an API key belongs to, for the <c>X-Api-Key</c> header and for the support console's sign-in
/// alike: the bootstrap operator key from configuration is compared by hash in constant time; any other
/// key must have the platform's shape (<see cref="ApiKeyShape"/>) before it is looked up by its SHA-256
/// hash in <see cref="IApiKeyGrain"/>; a hash the cluster just called unknown is not asked again for a
/// while (<see cref="UnknownApiKeys"/>), and concurrent requests with one key share one lookup
/// (<see cref="ApiKeyLookups"/>).
/// </summary>
public sealed class StaffKeys(
    ApiKeyLookups lookups, UnknownApiKeys unknownKeys, RecentlyValidKeys validKeys, FailedAuthenticationLimit failures, ApiSettings settings)
{
    // Keys are random tokens, never personal data; an absurdly long one is refused before hashing.
    public const int MaxKeyLength = 256;

    private readonly byte[]? _operatorKeyHash = settings.OperatorKey is { Length: > 0 } key ? Hash(key) : null;

    /// <summary>The SHA-256 of a key: how keys are stored, looked up and (for rate limits) told apart; the key itself is kept nowhere.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// The key's holder as a principal of <paramref name="scheme"/>, or null for a key that is not (or no longer) valid.
    /// For a <paramref name="request"/> whose address spent its failed authentications, only a key this host resolved as
    /// valid lately is looked up; any other is refused unasked.
    /// </summary>
    public async Task<ClaimsPrincipal?> ResolveAsync(string presented, string scheme, HttpContext? request = null)
    {
        if (presented.Length is 0 or > MaxKeyLength)
        {
            return null;
        }

        // P4.4: a made-up key costs no grain activation and no database read.
        return IsBootstrapOperator(Hash(presented)) || ApiKeyShape.IsWellFormed(presented)
            ? await ResolveHashAsync(Convert.ToHexStringLower(Hash(presented)), scheme, request)
            : null;
    }

    /// <summary>As <see cref="ResolveAsync"/>, for a key known only by its hash (the console's cookie keeps no key).</summary>
    public async Task<ClaimsPrincipal?> ResolveHashAsync(string keyHash, string scheme, HttpContext? request = null)
    {
        if (keyHash.Length != 64)
        {
            return null;
        }

        if (IsBootstrapOperator(Convert.FromHexString(keyHash)))
        {
            return CallerClaims.Principal(CallerRole.Operator, CallerClaims.BootstrapOperator, scheme);
        }

        if (unknownKeys.Contains(keyHash))
        {
            return null;
        }

        // P4.4 (*reviewer*): each distinct made-up key of the platform's shape cost a grain activation and a database read,
        // and the failure limit answered 429 only after the lookup: past it, a key not lately valid here is not looked up.
        var lately = validKeys.Contains(keyHash);
        if (!lately && request is not null && !failures.HasFailuresLeft(request.Connection.RemoteIpAddress))
        {
            return null;
        }

        var grant = await lookups.ResolveAsync(keyHash);
        if (grant is null)
        {
            // Revoked since (*reviewer*): asked, a remembered key slid on, and past the failure limit kept being looked up.
            validKeys.Forget(keyHash);
            unknownKeys.Remember(keyHash);
            return null;
        }

        if (!lately)
        {
            validKeys.Remember(keyHash);
        }

        return CallerClaims.Principal(grant, scheme);
    }

    private bool IsBootstrapOperator(byte[] hash) =>
        _operatorKeyHash is not null && CryptographicOperations.FixedTimeEquals(hash, _operatorKeyHash);
}
