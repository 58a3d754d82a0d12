using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using MeiLing.Grains.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MeiLing.Api.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header. The bootstrap operator key from configuration is compared
/// by hash in constant time; any other key must have the platform's shape (<see cref="ApiKeyShape"/>)
/// before it is looked up by its SHA-256 hash in <see cref="IApiKeyGrain"/>, and a hash the cluster just
/// called unknown is not asked again for a while (<see cref="UnknownApiKeys"/>), and concurrent requests with one
/// key share one lookup (<see cref="ApiKeyLookups"/>). No header: no result
/// (so the route's challenge answers 401).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyLookups lookups,
    UnknownApiKeys unknownKeys,
    ApiSettings settings) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    // Keys are random tokens, never personal data; an absurdly long header is refused before hashing.
    private const int MaxKeyLength = 256;

    private readonly byte[]? _operatorKeyHash = settings.OperatorKey is { Length: > 0 } key ? Hash(key) : null;

    /// <summary>The SHA-256 of a key: how keys are stored, looked up and (for rate limits) told apart; the key itself is kept nowhere.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = values.ToString();
        if (presented.Length is 0 or > MaxKeyLength)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        var hash = Hash(presented);
        if (_operatorKeyHash is not null && CryptographicOperations.FixedTimeEquals(hash, _operatorKeyHash))
        {
            return Success(CallerRole.Operator, CallerClaims.BootstrapOperator);
        }

        // P4.4: a made-up key costs no grain activation and no database read.
        var keyHash = Convert.ToHexStringLower(hash);
        if (!ApiKeyShape.IsWellFormed(presented) || unknownKeys.Contains(keyHash))
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        var grant = await lookups.ResolveAsync(keyHash);
        if (grant is null)
        {
            unknownKeys.Remember(keyHash);
            return AuthenticateResult.Fail("Invalid API key.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.Principal(grant, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        return base.HandleChallengeAsync(properties);
    }

    private AuthenticateResult Success(CallerRole role, string subjectId) =>
        AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.Principal(role, subjectId, SchemeName), SchemeName));
}
