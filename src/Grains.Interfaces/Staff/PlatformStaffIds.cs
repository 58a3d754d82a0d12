namespace MeiLing.Grains.Staff;

/// <summary>A page of the platform's own staff ids, oldest first; <see cref="Listed"/> ids are on the roster in all.</summary>
[GenerateSerializer, Immutable, Alias("meiling.platform-staff-ids")]
public sealed record PlatformStaffIds(
    [property: Id(0)] IReadOnlyList<string> StaffIds,
    [property: Id(1)] int Listed);
