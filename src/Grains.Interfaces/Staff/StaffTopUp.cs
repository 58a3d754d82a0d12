namespace MeiLing.Grains.Staff;

/// <summary>
/// A member-card top-up made with a staff member's key, to count against their daily limit: <see cref="Day"/> is the
/// merchant's calendar day, <see cref="OperationId"/> the top-up's own (a retry under it counts once).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.staff-top-up")]
public sealed record StaffTopUp(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string OperationId,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] DateOnly Day);
