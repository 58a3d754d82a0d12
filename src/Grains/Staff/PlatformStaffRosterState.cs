using MeiLing.Grains.Privacy;

namespace MeiLing.Grains.Staff;

/// <summary>Persisted state of the platform's staff roster (<see cref="IPlatformStaffRosterGrain"/>).</summary>
public sealed class PlatformStaffRosterState
{
    /// <summary>
    /// The platform's staff ids in enrolment order, offboarded ones included: at most <see cref="IPlatformStaffRosterGrain.MaxStaff"/>.
    /// Ids only: names and who enrolled them stay on each member's record.
    /// </summary>
    [NotPersonalData]
    public List<string> StaffIds { get; set; } = [];

    /// <summary>Lists the member; false when listed already (nothing to write).</summary>
    public bool List(string staffId)
    {
        if (StaffIds.Contains(staffId))
        {
            return false;
        }

        if (StaffIds.Count >= IPlatformStaffRosterGrain.MaxStaff)
        {
            // P4.4: an operator key enrolling in a loop grows staff records, API keys and this list without end.
            throw DomainException.Conflict("too-many-staff", $"The platform enrols at most {IPlatformStaffRosterGrain.MaxStaff} staff members, offboarded ones included.");
        }

        StaffIds.Add(staffId);
        return true;
    }
}
