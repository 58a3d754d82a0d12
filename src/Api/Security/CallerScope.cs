using System.Security.Claims;

namespace MeiLing.Api.Security;

/// <summary>
/// Who may call a route about one user or one merchant, named by the route's <c>{userId}</c> or
/// <c>{merchantId}</c>: the policy that admits the roles, and the check that the caller is that user or
/// merchant (or staff who may act for them). Outside its scope a caller gets 404, as if the id did not exist.
/// Applied to a route with <see cref="CallerScopeExtensions.ForCaller"/>; the handler then needs no check of its own.
/// </summary>
public sealed record CallerScope(string RouteValue, string Policy, Func<ClaimsPrincipal, string, bool> Admits)
{
    /// <summary>Only the user themself (not support).</summary>
    public static readonly CallerScope TheUser = new("userId", AuthorizationPolicies.User, CallerClaims.IsUser);

    /// <summary>The user themself, or support.</summary>
    public static readonly CallerScope TheUserOrSupport = new("userId", AuthorizationPolicies.UserOrSupport, CallerClaims.CanActForUser);

    /// <summary>Only the merchant itself (not operators).</summary>
    public static readonly CallerScope TheMerchant = new("merchantId", AuthorizationPolicies.Merchant, CallerClaims.IsMerchant);

    /// <summary>
    /// Only the merchant itself, on a route whose group also admits operators: an operator gets 404 there, as
    /// for another merchant's id, not 403 (placing orders).
    /// </summary>
    public static readonly CallerScope TheMerchantAmongOperators = new("merchantId", AuthorizationPolicies.OperatorOrMerchant, CallerClaims.IsMerchant);

    /// <summary>The merchant itself, or an operator.</summary>
    public static readonly CallerScope TheMerchantOrOperator = new("merchantId", AuthorizationPolicies.OperatorOrMerchant, CallerClaims.CanActForMerchant);

    /// <summary>The merchant's own key or one of its managers (a cashier gets 403): refunds, staff, reports.</summary>
    public static readonly CallerScope TheMerchantManager = new("merchantId", AuthorizationPolicies.MerchantManager, CallerClaims.IsMerchant);

    /// <summary>An operator, the merchant's own key or one of its managers: catalogue, stock, webhooks.</summary>
    public static readonly CallerScope TheMerchantManagerOrOperator = new("merchantId", AuthorizationPolicies.OperatorOrMerchantManager, CallerClaims.CanActForMerchant);

    /// <summary>
    /// The merchant's own key, no staff member: confirming it acted on a user's request, as its systems do once they
    /// erased what they hold. A manager may be offboarded tomorrow; the merchant answers for the word (as for its webhook).
    /// </summary>
    public static readonly CallerScope TheMerchantKey = new("merchantId", AuthorizationPolicies.MerchantKey, CallerClaims.IsMerchant);

    /// <summary>An operator or the merchant's own key, no staff member: replacing that key.</summary>
    public static readonly CallerScope TheMerchantKeyOrOperator = new("merchantId", AuthorizationPolicies.OperatorOrMerchantKey, CallerClaims.CanActForMerchant);

    /// <summary>
    /// For routes that answer from somewhere other than the named user's or merchant's own grain (a listing
    /// table, the activity log), where an unknown id would read as empty: staff acting for it get 404 unless it
    /// exists. A user's session or a merchant's key already proves its own id exists.
    /// </summary>
    public Func<IClusterClient, string, Task<bool>>? Exists { get; init; }

    /// <summary>This scope, with the named user or merchant looked up when staff act for it.</summary>
    public CallerScope ThatExists() => this with
    {
        Exists = RouteValue == TheMerchant.RouteValue ? RouteScope.MerchantExistsAsync : RouteScope.UserExistsAsync,
    };

    /// <summary>Whether the caller is the named party itself: staff acting for it are not.</summary>
    public static bool IsTheParty(ClaimsPrincipal caller, string id) => caller.IsUser(id) || caller.IsMerchant(id);
}
