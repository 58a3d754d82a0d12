using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Staff;

internal sealed class PlatformStaffRosterGrain(
    [PersistentState("platform-staff-roster", StorageNames.Default)] IPersistentState<PlatformStaffRosterState> state) : Grain, IPlatformStaffRosterGrain
{
    async Task IPlatformStaffRosterGrain.ReservePlace(string staffId)
    {
        if (state.State.List(staffId))
        {
            // P1.7, P4.4: a write that failed leaves no id in memory that storage does not hold; the enrolment fails before
            // any key is minted, and its retry lists the member again.
            await state.WriteOrForgetAsync(this);
        }
    }

    Task<PlatformStaffIds> IPlatformStaffRosterGrain.StaffIds(int skip, int take)
    {
        var listed = state.State.StaffIds;
        skip = Math.Clamp(skip, 0, listed.Count);
        return Task.FromResult(new PlatformStaffIds([.. listed.Skip(skip).Take(Math.Max(take, 0))], listed.Count));
    }
}
