using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Consents;

internal sealed class ConsentRecordGrain(
    [PersistentState("consent-record", StorageNames.Default)] IPersistentState<ConsentRecordState> state) : Grain, IConsentRecordGrain
{
    async Task IConsentRecordGrain.Write(ConsentReceipt receipt)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("receipt-exists", "A consent receipt is written once.");
        }

        state.State.Receipt = receipt;
        await state.WriteStateAsync();
    }

    async Task<bool> IConsentRecordGrain.Pseudonymize(string pseudonym)
    {
        if (state.State.Receipt is not { } receipt || receipt.UserId == pseudonym || !receipt.UserId.StartsWith(EntityId.UserPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        state.State.Receipt = receipt with { UserId = pseudonym };
        await state.WriteStateAsync();
        return true;
    }

    Task<ConsentReceipt?> IConsentRecordGrain.Get() => Task.FromResult(state.RecordExists ? state.State.Receipt : null);
}
