using System.Security.Claims;
using MeiLing.Grains.Access;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Orders;

namespace MeiLing.Api.Security;

/// <summary>The claims the API puts on an authenticated caller, and what they say about its scope.</summary>
public static class CallerClaims
{
    /// <summary>The id of the key's holder: a merchant id, a staff id, or the bootstrap operator.</summary>
    public const string Subject = "sub";

    public const string BootstrapOperator = "operator-bootstrap";

    /// <summary>For a merchant's staff member's key: their staff id (the subject stays the merchant's id).</summary>
    public const string MerchantStaff = "merchant-staff";

    public static string RoleName(CallerRole role) => role switch
    {
        CallerRole.Operator => Roles.Operator,
        CallerRole.Merchant => Roles.Merchant,
        CallerRole.Support => Roles.Support,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static ClaimsPrincipal Principal(CallerRole role, string subjectId, string scheme) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Role, RoleName(role)), new Claim(Subject, subjectId)],
            scheme,
            Subject,
            ClaimTypes.Role));

    /// <summary>
    /// The caller an API key stands for. A merchant's staff member is the merchant (role and subject), plus their
    /// staff id and their till role, so every merchant route admits them and the manager-only ones tell them apart.
    /// A staff key whose role is missing is a cashier's, the least a staff key may do: read as the merchant's own key, it
    /// would pay by member card without the member's code and refund.
    /// </summary>
    public static ClaimsPrincipal Principal(ApiKeyGrant grant, string scheme)
    {
        var principal = Principal(grant.Role, grant.SubjectId, scheme);
        if (grant is { Role: CallerRole.Merchant, StaffId: { } staffId, StaffRole: var staffRole })
        {
            var identity = (ClaimsIdentity)principal.Identity!;
            identity.AddClaim(new Claim(MerchantStaff, staffId));
            identity.AddClaim(new Claim(ClaimTypes.Role, staffRole == Grains.Staff.StaffRole.Manager ? Roles.Manager : Roles.Cashier));
        }

        return principal;
    }

    public static string? SubjectId(this ClaimsPrincipal caller) => caller.FindFirstValue(Subject);

    /// <summary>The merchant's staff member behind the key, or null for the merchant's own key (and everyone else).</summary>
    public static string? MerchantStaffId(this ClaimsPrincipal caller) => caller.FindFirstValue(MerchantStaff);

    /// <summary>
    /// Whether the caller may act on this user's data: the user themself, or support. Outside its
    /// scope a caller gets 404, as if the user did not exist.
    /// </summary>
    public static bool CanActForUser(this ClaimsPrincipal caller, string userId) =>
        caller.IsInRole(Roles.Support)
        || (caller.IsInRole(Roles.User) && string.Equals(caller.SubjectId(), userId, StringComparison.Ordinal));

    /// <summary>The caller as a party to orders: a merchant, a user or support.</summary>
    public static OrderCaller AsOrderCaller(this ClaimsPrincipal caller) => new(
        caller.IsInRole(Roles.Merchant) ? OrderParty.Merchant : caller.IsInRole(Roles.User) ? OrderParty.User : OrderParty.Support,
        caller.SubjectId() ?? "",
        caller.MerchantStaffId(),
        caller.IsInRole(Roles.Cashier));

    /// <summary>
    /// Whose Idempotency-Keys the caller's are: the party, its id and the merchant's staff member behind the key (an operator
    /// as itself). P1.6: each key holder's keys are its own, so a key one till (or manager, or operator) used never answers
    /// another's request with what the first made under it. A merchant's or user's scope is the one payments were first
    /// keyed by (<see cref="OrderCaller"/>'s party, id and staff id), so their keys made before this helper still match.
    /// </summary>
    public static string IdempotencyScope(this ClaimsPrincipal caller)
    {
        var party = caller.IsInRole(Roles.Operator) ? "Operator" : caller.AsOrderCaller().Party.ToString();
        return $"{party}/{caller.SubjectId()}/{caller.MerchantStaffId()}";
    }

    /// <summary>The caller as an actor on a data-rights request: the user, or the staff key's holder with its role.</summary>
    public static RequestActor AsRequestActor(this ClaimsPrincipal caller) => new(
        caller.IsInRole(Roles.User) ? RequestActor.UserRole : caller.IsInRole(Roles.Support) ? RequestActor.SupportRole : RequestActor.OperatorRole,
        caller.SubjectId() ?? "");

    /// <summary>The operator behind the key, or null for every other caller: what they do on a merchant's behalf is recorded as theirs (P1.7).</summary>
    public static string? OperatorId(this ClaimsPrincipal caller) => caller.IsInRole(Roles.Operator) ? caller.SubjectId() : null;

    /// <summary>Only the merchant itself (not operators).</summary>
    public static bool IsMerchant(this ClaimsPrincipal caller, string merchantId) =>
        caller.IsInRole(Roles.Merchant) && string.Equals(caller.SubjectId(), merchantId, StringComparison.Ordinal);

    /// <summary>Only the user themself (not support).</summary>
    public static bool IsUser(this ClaimsPrincipal caller, string userId) =>
        caller.IsInRole(Roles.User) && string.Equals(caller.SubjectId(), userId, StringComparison.Ordinal);

    /// <summary>
    /// Whether the caller may see this merchant's data: operators may see any; a merchant only itself.
    /// Outside its scope a caller gets 404, as if the id did not exist.
    /// </summary>
    public static bool CanActForMerchant(this ClaimsPrincipal caller, string merchantId) =>
        caller.IsInRole(Roles.Operator)
        || (caller.IsInRole(Roles.Merchant) && string.Equals(caller.SubjectId(), merchantId, StringComparison.Ordinal));
}
