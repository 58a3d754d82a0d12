namespace MeiLing.Grains.Staff;

/// <summary>
/// The platform's own staff (support agents and operators) in the order they were enrolled, offboarded ones included: one
/// grain, keyed <see cref="Key"/>. P1.7, P4.4: an operator key (a leaked one) could mint keys no route listed, which kept
/// working after that key was offboarded; every platform member is listed here before their key exists, with the operator
/// who enrolled them on their record, so those keys can be found and offboarded. Members enrolled before this list was kept
/// are not on it (no backfill).
/// </summary>
[Alias("meiling.platform-staff-roster")]
public interface IPlatformStaffRosterGrain : IGrainWithIntegerKey
{
    /// <summary>The platform's one roster.</summary>
    public const long Key = 0;

    /// <summary>
    /// The most members the platform enrols, offboarded ones included (their records and keys' rows stay): far beyond any
    /// support desk's turnover, while the list is one record rewritten at each enrolment.
    /// </summary>
    public const int MaxStaff = 10_000;

    /// <summary>
    /// Lists <paramref name="staffId"/> before their key is minted; the same id again changes nothing (a retried enrolment).
    /// Beyond <see cref="MaxStaff"/>, 409 <c>too-many-staff</c> with nothing written.
    /// </summary>
    [Alias("reserve-place")]
    Task ReservePlace(string staffId);

    /// <summary>A page of the listed staff ids, oldest first, from <paramref name="skip"/>, and how many are listed in all.</summary>
    [Alias("staff-ids")]
    [ReadOnly]
    Task<PlatformStaffIds> StaffIds(int skip, int take);
}
