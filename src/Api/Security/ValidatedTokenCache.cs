using System.Collections.Concurrent;
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
public sealed class ValidatedTokenCache : JsonWebTokenHandler
{
    /// <summary>Tokens remembered at most; past it the oldest half is dropped (the next use re-validates them).</summary>
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, ValidatedToken> _validated = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ValidatedToken>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly TimeProvider _clock;
    private readonly int _capacity;

    public ValidatedTokenCache(TimeProvider clock, int capacity = DefaultCapacity)
    {
        _clock = clock;
        _capacity = capacity;
        _bySpan = _validated.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _validated.Count;

    /// <summary>
    /// The token if it validated here before and has not expired, looked up by the characters of the request's header
    /// (<see cref="RememberedSessionHandler"/>) without copying them into a string of their own; null otherwise.
    /// </summary>
    public RememberedToken? Recall(ReadOnlySpan<char> token) =>
        _bySpan.TryGetValue(token, out var known) && known.Remembered.ExpiresAt > _clock.GetUtcNow() ? known.Remembered : null;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _clock.GetUtcNow();
        if (_validated.TryGetValue(token, out var known))
        {
            if (known.Remembered.ExpiresAt > now)
            {
                // The same caller for every request with this token: it refuses changes, so none can leak into another.
                return new TokenValidationResult { IsValid = true, ClaimsIdentity = known.Remembered.Identity, SecurityToken = known.Token };
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: { } validated } && validated.ValidTo > now.UtcDateTime)
        {
            var remembered = new RememberedToken(new SharedSessionIdentity(identity), new DateTimeOffset(validated.ValidTo, TimeSpan.Zero));
            Remember(token, new ValidatedToken(remembered, validated));
        }

        return result;
    }

    private void Remember(string token, ValidatedToken validated)
    {
        if (_validated.Count >= _capacity)
        {
            // Bounded, so that a flood of valid tokens cannot grow memory: forget those that expire first.
            foreach (var stale in _validated.OrderBy(entry => entry.Value.Remembered.ExpiresAt).Take(_capacity / 2).ToList())
            {
                _validated.TryRemove(stale.Key, out _);
            }
        }

        _validated[token] = validated;
    }

    private sealed record ValidatedToken(RememberedToken Remembered, SecurityToken Token);
}
