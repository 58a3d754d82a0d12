using MeiLing.Grains.Access;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Merchants;

internal sealed class MerchantGrain(
    [PersistentState("merchant", StorageNames.Default)] IPersistentState<MerchantState> state,
    TimeProvider clock) : Grain, IMerchantGrain
{
    async Task<IssuedKey> IMerchantGrain.Open(OpenMerchant command)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("merchant-exists", "A merchant with this id already exists.");
        }

        var now = clock.GetUtcNow();
        state.State.Open(command, now);
        await state.WriteStateAsync();
        return await ApiKeys.IssueAsync(GrainFactory, CallerRole.Merchant, this.GetPrimaryKeyString(), now);
    }

    Task<MerchantView?> IMerchantGrain.Get() =>
        Task.FromResult(state.RecordExists
            ? new MerchantView(this.GetPrimaryKeyString(), state.State.Name, state.State.Region, state.State.CreatedAt)
            : null);
}
