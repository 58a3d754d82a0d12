namespace MeiLing.Grains.Staff;

/// <summary>
/// Enrolling a staff member: the platform's (no merchant), or a merchant's manager or cashier; <see cref="EnrolledBy"/> is the
/// merchant's manager who enrolled them (null: the merchant key), or the operator who enrolled one of the platform's staff
/// (null: enrolled before it was kept).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.enrol-staff")]
public sealed record EnrolStaff(
    [property: Id(0)] string Name,
    [property: Id(1)] StaffRole Role,
    [property: Id(2)] string? MerchantId = null,
    [property: Id(3)] string? EnrolledBy = null);
