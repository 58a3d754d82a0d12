namespace MeiLing.Grains.Merchants;

/// <summary>
/// A page of a merchant's staff ids, oldest first: <see cref="Listed"/> ids are on the list in all, and <see cref="Enrolled"/>
/// staff were ever enrolled (more than listed when some were enrolled before the merchant kept the list).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.merchant-staff-ids")]
public sealed record MerchantStaffIds(
    [property: Id(0)] IReadOnlyList<string> StaffIds,
    [property: Id(1)] int Listed,
    [property: Id(2)] int Enrolled);
