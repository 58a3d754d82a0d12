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
        var role = command.Role == StaffRole.Operator ? CallerRole.Operator : CallerRole.Support;
        var apiKey = ApiKeys.NewKey(role);
        state.State.Enrol(command, now, ApiKeys.Hash(apiKey));
        await state.WriteStateAsync();
        return await ApiKeys.IssueAsync(GrainFactory, role, StaffId, now, apiKey);
    }

    async Task<StaffView?> IStaffGrain.Offboard()
    {
        if (!state.RecordExists)
        {
            return null;
        }

        if (state.State.KeyHash is not { } keyHash)
        {
            throw DomainException.Conflict("key-not-recorded", "This member was enrolled before their key's hash was recorded, so the key cannot be revoked here.");
        }

        // Revoke first: if the write below fails, the key is already dead and a retry finishes the record.
        await GrainFactory.GetGrain<IApiKeyGrain>(keyHash).Revoke();
        if (state.State.OffboardedAt is null)
        {
            state.State.Offboard(clock.GetUtcNow());
            await state.WriteStateAsync();
        }

        return state.State.ToView(StaffId);
    }

    Task<StaffView?> IStaffGrain.Get() => Task.FromResult(state.RecordExists ? state.State.ToView(StaffId) : null);

    private string StaffId => this.GetPrimaryKeyString();
}
