using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Session tokens re-signed with the test deployment's key: the same session, with another algorithm or lifetime.</summary>
public static class SessionTokens
{
    /// <summary>The same session as a token issued before sessions had ids (no <c>sid</c>), still HS256.</summary>
    public static string WithoutSessionId(string token) => Resign(token, SecurityAlgorithms.HmacSha256, keepSessionId: false);

    /// <summary>The same user under the deployment's own key and algorithm, naming no session generation (no <c>sgen</c>).</summary>
    public static string WithoutGeneration(string token) => Resign(token, SecurityAlgorithms.HmacSha256, keepGeneration: false);

    public static string Resign(
        string token, string algorithm, DateTime? notBefore = null, DateTime? expires = null, bool keepSessionId = true, bool keepGeneration = true)
    {
        var issued = new JsonWebToken(token);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = issued.Subject,
            ["role"] = issued.GetClaim("role").Value,
        };
        if (keepGeneration)
        {
            claims["sgen"] = int.Parse(issued.GetClaim("sgen").Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (keepSessionId && issued.TryGetClaim("sid", out var sessionId))
        {
            claims["sid"] = sessionId.Value;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issued.Issuer,
            Audience = issued.Audiences.Single(),
            IssuedAt = notBefore ?? issued.IssuedAt,
            NotBefore = notBefore ?? issued.ValidFrom,
            Expires = expires ?? issued.ValidTo,
            Claims = claims,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(PlatformFixture.JwtKey)), algorithm),
        });
    }
}
