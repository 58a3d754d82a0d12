using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Session tokens re-signed with the test deployment's key: the same session, with another algorithm or lifetime.</summary>
public static class SessionTokens
{
    public static string Resign(string token, string algorithm, DateTime? notBefore = null, DateTime? expires = null)
    {
        var issued = new JsonWebToken(token);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issued.Issuer,
            Audience = issued.Audiences.Single(),
            IssuedAt = notBefore ?? issued.IssuedAt,
            NotBefore = notBefore ?? issued.ValidFrom,
            Expires = expires ?? issued.ValidTo,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = issued.Subject,
                ["sgen"] = int.Parse(issued.GetClaim("sgen").Value, System.Globalization.CultureInfo.InvariantCulture),
                ["role"] = issued.GetClaim("role").Value,
            },
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(PlatformFixture.JwtKey)), algorithm),
        });
    }
}
