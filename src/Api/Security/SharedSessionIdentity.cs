using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Api.Security;

/// <summary>
/// The caller of a remembered session token, shared by every request that presents the token. It cannot be changed:
/// a claim added for one request would be read by the next, so adding or removing one throws instead (a handler that
/// needs another claim makes its own copy with <see cref="ClaimsIdentity.Clone"/>).
/// </summary>
/// <remarks>
/// Shared rather than copied per request because the copy (nine claims and their list) was a tenth of what a consent
/// read allocated (docs/performance.md, fourteenth round).
/// </remarks>
public sealed class SharedSessionIdentity : CaseSensitiveClaimsIdentity
{
    private readonly bool _complete;

    public SharedSessionIdentity(ClaimsIdentity validated)
        : base(validated.Claims, validated.AuthenticationType, validated.NameClaimType, validated.RoleClaimType)
    {
        _complete = true;
    }

    public override void AddClaim(Claim claim)
    {
        RefuseChange();
        base.AddClaim(claim);
    }

    public override void AddClaims(IEnumerable<Claim?> claims)
    {
        RefuseChange();
        base.AddClaims(claims);
    }

    public override bool TryRemoveClaim(Claim? claim)
    {
        RefuseChange();
        return base.TryRemoveClaim(claim);
    }

    public override void RemoveClaim(Claim? claim)
    {
        RefuseChange();
        base.RemoveClaim(claim);
    }

    // The base constructor adds the token's claims through these same methods: only changes after it are refused.
    private void RefuseChange()
    {
        if (_complete)
        {
            throw new InvalidOperationException("A remembered session's caller is shared by its requests and cannot be changed; clone it first.");
        }
    }
}
