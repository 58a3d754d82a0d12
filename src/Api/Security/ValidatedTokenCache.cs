using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Api.Security;

/// <summary>
/// Validates a session token once and remembers it until it expires: every later request with the same token
/// skips the signature (HMAC), the JSON parsing and the claims' construction, which together cost more than the
/// grain read the request is for. Only what validated is remembered, so a forged token is checked every time.
/// Whether the session is still current is not the token's business: the user grain asks on every request.
/// One instance serves one set of validation parameters (the user sessions' own).
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider clock, int capacity = ValidatedTokenCache.DefaultCapacity) : JsonWebTokenHandler
{
    /// <summary>Tokens remembered at most; past it the oldest half is dropped (the next use re-validates them).</summary>
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, ValidatedToken> _validated = new(StringComparer.Ordinal);

    public int Count => _validated.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_validated.TryGetValue(token, out var known))
        {
            if (known.ExpiresAt > now)
            {
                // The same caller for every request with this token: it refuses changes, so none can leak into another.
                return new TokenValidationResult { IsValid = true, ClaimsIdentity = known.Identity, SecurityToken = known.Token };
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: { } validated } && validated.ValidTo > now.UtcDateTime)
        {
            Remember(token, new ValidatedToken(new SharedSessionIdentity(identity), validated, new DateTimeOffset(validated.ValidTo, TimeSpan.Zero)));
        }

        return result;
    }

    private void Remember(string token, ValidatedToken validated)
    {
        if (_validated.Count >= capacity)
        {
            // Bounded, so that a flood of valid tokens cannot grow memory: forget those that expire first.
            foreach (var stale in _validated.OrderBy(entry => entry.Value.ExpiresAt).Take(capacity / 2).ToList())
            {
                _validated.TryRemove(stale.Key, out _);
            }
        }

        _validated[token] = validated;
    }

    private sealed record ValidatedToken(ClaimsIdentity Identity, SecurityToken Token, DateTimeOffset ExpiresAt);
}
