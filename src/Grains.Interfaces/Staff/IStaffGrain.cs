using MeiLing.Grains.Access;

namespace MeiLing.Grains.Staff;

/// <summary>A member of the platform's staff (support or operator), keyed by staff id (<c>stf_…</c>).</summary>
[Alias("meiling.staff")]
public interface IStaffGrain : IGrainWithStringKey
{
    /// <summary>Enrols the staff member and issues their API key; once only (409 after).</summary>
    [Alias("enrol")]
    Task<IssuedKey> Enrol(EnrolStaff command);

    /// <summary>
    /// Ends the staff member's access: their API key stops authenticating at once. The record stays, as
    /// who they were and when they left. Doing it again changes nothing; null when unknown.
    /// </summary>
    [Alias("offboard")]
    Task<StaffView?> Offboard();

    /// <summary>The staff member, or null when unknown.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<StaffView?> Get();
}
