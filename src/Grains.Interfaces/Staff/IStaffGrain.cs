using MeiLing.Grains.Access;

namespace MeiLing.Grains.Staff;

/// <summary>
/// A staff member, keyed by staff id (<c>stf_…</c>): the platform's (support or operator) or a merchant's
/// (manager or cashier), each with their own API key through the one key mechanism (<see cref="IApiKeyGrain"/>).
/// </summary>
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
