namespace MeiLing.Grains.Staff;

/// <summary>Enrolling a staff member: the platform's (no merchant), or a merchant's manager or cashier.</summary>
[GenerateSerializer, Immutable, Alias("meiling.enrol-staff")]
public sealed record EnrolStaff(
    [property: Id(0)] string Name,
    [property: Id(1)] StaffRole Role,
    [property: Id(2)] string? MerchantId = null);
