namespace MeiLing.Api.Security;

/// <summary>Role names as they appear in claims and authorization policies.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Merchant = "merchant";
    public const string Support = "support";
    public const string User = "user";

    /// <summary>A merchant's staff member at the till: also in <see cref="Merchant"/>, but never for refunds, catalogue, reports or staff.</summary>
    public const string Cashier = "cashier";

    /// <summary>A merchant's manager: also in <see cref="Merchant"/>, with all the merchant key does except replacing it.</summary>
    public const string Manager = "manager";
}
