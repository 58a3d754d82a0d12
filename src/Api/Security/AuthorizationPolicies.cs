namespace MeiLing.Api.Security;

/// <summary>Named authorization policies, one per set of roles a route admits.</summary>
public static class AuthorizationPolicies
{
    public const string Operator = "operator";
    public const string OperatorOrMerchant = "operator-or-merchant";
    public const string Support = "support";

    public static void AddMeiLingPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder authorization) =>
        authorization
            .AddPolicy(Operator, policy => policy.RequireRole(Roles.Operator))
            .AddPolicy(OperatorOrMerchant, policy => policy.RequireRole(Roles.Operator, Roles.Merchant))
            .AddPolicy(Support, policy => policy.RequireRole(Roles.Support, Roles.Operator));
}
