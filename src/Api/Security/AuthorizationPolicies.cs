using Microsoft.AspNetCore.Authorization;

namespace MeiLing.Api.Security;

/// <summary>Named authorization policies, one per set of roles a route admits.</summary>
public static class AuthorizationPolicies
{
    public const string Operator = "operator";
    public const string OperatorOrMerchant = "operator-or-merchant";
    public const string Support = "support";
    public const string User = "user";
    public const string UserOrSupport = "user-or-support";

    /// <summary>The user, support or an operator: a request the staff may approve, read before it is approved.</summary>
    public const string UserOrStaff = "user-or-staff";
    public const string Merchant = "merchant";
    public const string MerchantOrUser = "merchant-or-user";
    public const string OrderParties = "order-parties";
    public const string Staff = "staff";

    /// <summary>The merchant's own key or a manager: refunds, staff, reports (a cashier gets 403).</summary>
    public const string MerchantManager = "merchant-manager";

    /// <summary>An operator, the merchant's own key or a manager: catalogue changes, webhooks.</summary>
    public const string OperatorOrMerchantManager = "operator-or-merchant-manager";

    /// <summary>An operator or the merchant's own key, no staff member: replacing that key.</summary>
    public const string OperatorOrMerchantKey = "operator-or-merchant-key";

    /// <summary>The merchant's own key, no staff member nor operator: the merchant's word that it erased a user's data.</summary>
    public const string MerchantKey = "merchant-key";

    public static AuthorizationBuilder AddMeiLingPolicies(this AuthorizationBuilder authorization) =>
        authorization
            .AddPolicy(Operator, policy => policy.RequireRole(Roles.Operator))
            .AddPolicy(OperatorOrMerchant, policy => policy.RequireRole(Roles.Operator, Roles.Merchant))
            .AddPolicy(Support, policy => policy.RequireRole(Roles.Support))
            .AddPolicy(User, policy => policy.RequireRole(Roles.User))
            .AddPolicy(UserOrSupport, policy => policy.RequireRole(Roles.User, Roles.Support))
            .AddPolicy(UserOrStaff, policy => policy.RequireRole(Roles.User, Roles.Support, Roles.Operator))
            .AddPolicy(Merchant, policy => policy.RequireRole(Roles.Merchant))
            .AddPolicy(MerchantOrUser, policy => policy.RequireRole(Roles.Merchant, Roles.User))
            .AddPolicy(OrderParties, policy => policy.RequireRole(Roles.Merchant, Roles.User, Roles.Support))
            .AddPolicy(Staff, policy => policy.RequireRole(Roles.Support, Roles.Operator))
            .AddPolicy(MerchantManager, policy => policy.RequireAssertion(context => IsMerchantManager(context.User)))
            .AddPolicy(OperatorOrMerchantManager, policy => policy.RequireAssertion(context =>
                context.User.IsInRole(Roles.Operator) || IsMerchantManager(context.User)))
            .AddPolicy(OperatorOrMerchantKey, policy => policy.RequireAssertion(context =>
                context.User.IsInRole(Roles.Operator) || IsMerchantKey(context.User)))
            .AddPolicy(MerchantKey, policy => policy.RequireAssertion(context => IsMerchantKey(context.User)));

    private static bool IsMerchantKey(System.Security.Claims.ClaimsPrincipal caller) =>
        caller.IsInRole(Roles.Merchant) && caller.MerchantStaffId() is null;

    private static bool IsMerchantManager(System.Security.Claims.ClaimsPrincipal caller) =>
        caller.IsInRole(Roles.Merchant) && !caller.IsInRole(Roles.Cashier);
}
