namespace MeiLing.Grains.Staff;

/// <summary>What a staff member does: the platform's own (support, operator) or a merchant's (manager, cashier).</summary>
[GenerateSerializer, Alias("meiling.staff-role")]
public enum StaffRole
{
    Support = 0,
    Operator = 1,

    /// <summary>A merchant's manager: everything the merchant's key does, staff and refunds included.</summary>
    Manager = 2,

    /// <summary>A merchant's cashier: places orders and takes payments; no refunds, catalogue changes, reports or staff.</summary>
    Cashier = 3,
}

/// <summary>Which roles belong to the platform and which to a merchant.</summary>
public static class StaffRoles
{
    public static bool IsMerchantRole(StaffRole role) => role is StaffRole.Manager or StaffRole.Cashier;
}
