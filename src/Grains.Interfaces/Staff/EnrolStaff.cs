namespace MeiLing.Grains.Staff;

/// <summary>Enrolling a staff member.</summary>
[GenerateSerializer, Immutable, Alias("meiling.enrol-staff")]
public sealed record EnrolStaff(
    [property: Id(0)] string Name,
    [property: Id(1)] StaffRole Role);
