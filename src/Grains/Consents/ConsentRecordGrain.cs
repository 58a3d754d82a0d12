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

    Task<ConsentReceipt?> IConsentRecordGrain.Get() => Task.FromResult(state.RecordExists ? state.State.Receipt : null);
}
