namespace MeiLing.Grains.Access;

/// <summary>
/// What an API key stands for: a role and the id of its holder (a merchant or a staff member). A merchant's own
/// staff hold merchant keys (<see cref="CallerRole.Merchant"/>, the merchant's id) that also name the staff member
/// and what they do at the till (<see cref="Staff.StaffRole.Manager"/> or <see cref="Staff.StaffRole.Cashier"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.api-key-grant")]
public sealed record ApiKeyGrant(
    [property: Id(0)] CallerRole Role,
    [property: Id(1)] string SubjectId,
    [property: Id(2)] DateTimeOffset IssuedAt,
    [property: Id(3)] string? StaffId = null,
    [property: Id(4)] Staff.StaffRole? StaffRole = null);
