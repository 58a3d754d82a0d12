namespace MeiLing.Api.Security;

/// <summary>Role names as they appear in claims and authorization policies.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Merchant = "merchant";
    public const string Support = "support";
    public const string User = "user";
}
