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
/// read allocated (docs/performance.md, fourteenth round). Its claims are looked up in a plain loop, case-sensitively as
/// the token handler's identity does: the base class searches with a predicate and an enumerator made per look-up, and
/// a request's five to eight look-ups (role, subject, session) were a sixteenth of a read's allocations (twenty-sixth round).
/// </remarks>
public sealed class SharedSessionIdentity : CaseSensitiveClaimsIdentity
{
    private readonly bool _complete;
    private readonly Claim[] _claims;

    public SharedSessionIdentity(ClaimsIdentity validated)
        : base(validated.Claims, validated.AuthenticationType, validated.NameClaimType, validated.RoleClaimType)
    {
        _claims = [.. Claims];
        _complete = true;
    }

    public override Claim? FindFirst(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var claim in _claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                return claim;
            }
        }

        return null;
    }

    public override bool HasClaim(string type, string value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var claim in _claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal) && string.Equals(claim.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
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
