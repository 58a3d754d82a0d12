using System.Security.Claims;
using System.Security.Cryptography;
using MeiLing.Api.Security;
using MeiLing.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.Security;

/// <summary>
/// Session tokens are validated once and remembered until they expire: a forged token is never remembered, an
/// expired one is never accepted from memory, and memory stays bounded whatever number of tokens is presented.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private readonly TestClock _clock = new();
    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_valid_token_is_remembered_and_its_requests_share_one_caller_that_none_can_change()
    {
        var cache = new ValidatedTokenCache(_clock);
        var token = Token("usr_a", TimeSpan.FromMinutes(10));

        var first = await cache.ValidateTokenAsync(token, Parameters());
        var second = await cache.ValidateTokenAsync(token, Parameters());
        var third = await cache.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, cache.Count);
        Assert.Equal("usr_a", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Same(second.ClaimsIdentity, third.ClaimsIdentity);

        // A claim one request added would be read by the next: the shared caller refuses it.
        Assert.Throws<InvalidOperationException>(() => second.ClaimsIdentity.AddClaim(new Claim("role", "operator")));
        Assert.Throws<InvalidOperationException>(() => second.ClaimsIdentity.RemoveClaim(second.ClaimsIdentity.FindFirst("sub")));
        Assert.Null(third.ClaimsIdentity.FindFirst("role"));
        Assert.Equal("usr_a", third.ClaimsIdentity.FindFirst("sub")?.Value);

        // The request that validated the token keeps the handler's own caller, as before.
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        first.ClaimsIdentity.AddClaim(new Claim("scratch", "first request only"));
        Assert.Null(third.ClaimsIdentity.FindFirst("scratch"));
    }

    [Fact]
    public async Task A_remembered_caller_finds_its_claims_as_the_token_handlers_own_caller_does()
    {
        var cache = new ValidatedTokenCache(_clock);
        var token = Token("usr_a", TimeSpan.FromMinutes(10), generation: 3, sessionId: "s1");
        var handlers = (await cache.ValidateTokenAsync(token, Parameters())).ClaimsIdentity;
        var remembered = (await cache.ValidateTokenAsync(token, Parameters())).ClaimsIdentity;
        Assert.IsType<SharedSessionIdentity>(remembered);

        // Claim types and values compare case-sensitively, as in the token: "SUB" is not "sub".
        foreach (var type in new[] { "sub", "sgen", "sid", "SUB", "Sid", "role", "" })
        {
            Assert.Equal(handlers.FindFirst(type)?.Value, remembered.FindFirst(type)?.Value);
        }

        foreach (var (type, value) in new[] { ("sub", "usr_a"), ("sub", "USR_A"), ("SUB", "usr_a"), ("sid", "s1"), ("sgen", "3"), ("sub", "usr_b") })
        {
            Assert.Equal(handlers.HasClaim(type, value), remembered.HasClaim(type, value));
        }

        Assert.True(remembered.HasClaim("sub", "usr_a"));
        Assert.Null(remembered.FindFirst("SUB"));
        Assert.Equal("usr_a", new ClaimsPrincipal(remembered).FindFirstValue("sub"));
    }

    [Fact]
    public async Task A_forged_token_is_refused_every_time_and_never_remembered()
    {
        var cache = new ValidatedTokenCache(_clock);
        var genuine = Token("usr_a", TimeSpan.FromMinutes(10));
        await cache.ValidateTokenAsync(genuine, Parameters());

        // Another subject under the genuine token's signature.
        var parts = genuine.Split('.');
        var forgedPayload = Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("usr_a", "usr_b"));
        var forged = $"{parts[0]}.{forgedPayload}.{parts[2]}";

        Assert.False((await cache.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_has_expired()
    {
        var cache = new ValidatedTokenCache(_clock);
        var token = Token("usr_a", TimeSpan.FromMinutes(10));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(11));

        Assert.False((await cache.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_token_is_recalled_by_its_characters_only_once_it_validated_and_only_until_it_expires()
    {
        var cache = new ValidatedTokenCache(_clock);
        var token = Token("usr_a", TimeSpan.FromMinutes(10), generation: 3, sessionId: "s1");
        var header = $"Bearer {token}";
        Assert.Null(cache.Recall(token));

        var validated = await cache.ValidateTokenAsync(token, Parameters());

        var recalled = cache.Recall(header.AsSpan("Bearer ".Length));
        Assert.NotNull(recalled);
        Assert.Same((await cache.ValidateTokenAsync(token, Parameters())).ClaimsIdentity, recalled.Identity);
        Assert.Equal(new SessionClaims("usr_a", 3, "s1"), recalled.Session);
        Assert.Null(cache.Recall(token.AsSpan(0, token.Length - 1)));
        Assert.Null(cache.Recall(token + "x"));

        _clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Null(cache.Recall(token));
        Assert.True(validated.IsValid);
    }

    [Fact]
    public async Task A_recalled_token_that_names_no_session_generation_carries_no_session()
    {
        var cache = new ValidatedTokenCache(_clock);
        var token = Token("usr_a", TimeSpan.FromMinutes(10));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);

        // Signed and remembered, yet it names no session: the handler leaves it to JwtBearer, which refuses it.
        Assert.Null(cache.Recall(token)?.Session);
        Assert.NotNull(cache.Recall(token));
    }

    [Fact]
    public async Task Memory_stays_bounded_however_many_valid_tokens_are_presented()
    {
        var cache = new ValidatedTokenCache(_clock, capacity: 8);

        for (var i = 0; i < 100; i++)
        {
            Assert.True((await cache.ValidateTokenAsync(Token($"usr_{i}", TimeSpan.FromMinutes(10 + i)), Parameters())).IsValid);
        }

        Assert.InRange(cache.Count, 1, 8);
    }

    private string Token(string userId, TimeSpan lifetime, int? generation = null, string? sessionId = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "meiling",
        Audience = "meiling-api",
        IssuedAt = _clock.GetUtcNow().UtcDateTime,
        NotBefore = _clock.GetUtcNow().UtcDateTime,
        Expires = (_clock.GetUtcNow() + lifetime).UtcDateTime,
        Claims = SessionClaimsOf(userId, generation, sessionId),
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
    });

    private static Dictionary<string, object> SessionClaimsOf(string userId, int? generation, string? sessionId)
    {
        var claims = new Dictionary<string, object> { ["sub"] = userId };
        if (generation is { } sgen)
        {
            claims["sgen"] = sgen;
        }

        if (sessionId is not null)
        {
            claims["sid"] = sessionId;
        }

        return claims;
    }

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "meiling",
        ValidAudience = "meiling-api",
        IssuerSigningKey = _key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        // The handler's own lifetime check reads the wall clock; this one reads the test's.
        LifetimeValidator = (notBefore, expires, _, _) => notBefore <= _clock.GetUtcNow().UtcDateTime && expires > _clock.GetUtcNow().UtcDateTime,
    };
}
