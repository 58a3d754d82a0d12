using MeiLing.Grains.Access;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Staff;

internal sealed class StaffGrain(
    [PersistentState("staff", StorageNames.Default)] IPersistentState<StaffState> state,
    TimeProvider clock) : Grain, IStaffGrain
{
    async Task<IssuedKey> IStaffGrain.Enrol(EnrolStaff command)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("staff-exists", "A staff member with this id already exists.");
        }

        var now = clock.GetUtcNow();
        state.State.Enrol(command, now);
        await state.WriteStateAsync();
        var role = command.Role == StaffRole.Operator ? CallerRole.Operator : CallerRole.Support;
        return await ApiKeys.IssueAsync(GrainFactory, role, this.GetPrimaryKeyString(), now);
    }

    Task<StaffView?> IStaffGrain.Get() =>
        Task.FromResult(state.RecordExists
            ? new StaffView(this.GetPrimaryKeyString(), state.State.Name, state.State.Role, state.State.EnrolledAt)
            : null);
}
