namespace MeiLing.Grains.Staff;

/// <summary>What a member of the platform's own staff does.</summary>
[GenerateSerializer, Alias("meiling.staff-role")]
public enum StaffRole
{
    Support = 0,
    Operator = 1,
}
