namespace MeiLing.Grains.Staff;

/// <summary>A staff member as operators (or, for its own staff, the merchant) see them.</summary>
[GenerateSerializer, Immutable, Alias("meiling.staff-view")]
public sealed record StaffView(
    [property: Id(0)] string StaffId,
    [property: Id(1)] string Name,
    [property: Id(2)] StaffRole Role,
    [property: Id(3)] DateTimeOffset EnrolledAt,
    [property: Id(4)] DateTimeOffset? OffboardedAt = null,
    [property: Id(5)] string? MerchantId = null);
