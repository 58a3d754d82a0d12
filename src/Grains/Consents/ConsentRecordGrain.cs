using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Consents;

/// <summary>
/// One consent receipt. Its row is written once, by the user grain that takes the decision, in the same
/// insert that makes the decision effective; this grain is the receipt's own address for reading it. It
/// reads the row at each call rather than keeping it: a cancellation pseudonymizes the row underneath.
/// </summary>
internal sealed class ConsentRecordGrain(ConsentReceiptStore receipts) : Grain, IConsentRecordGrain
{
    // Any signed-in user or support key names receipt ids at will (P4.4): one that finds no row leaves memory in seconds,
    // not after the idle age, so made-up ids at the caller's rate limit do not pile up activations.
    private readonly AbsentRecordLinger _absent = new();

    private bool _found;

    async Task<ConsentReceipt?> IConsentRecordGrain.Get()
    {
        var receipt = await receipts.GetAsync(this.GetPrimaryKeyString());
        _found |= receipt is not null;
        _absent.Start(this, () => _found);
        return receipt;
    }
}
