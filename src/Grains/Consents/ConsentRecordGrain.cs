namespace MeiLing.Grains.Consents;

/// <summary>
/// One consent receipt. Its row is written once, by the user grain that takes the decision, in the same
/// insert that makes the decision effective; this grain is the receipt's own address for reading it. It
/// reads the row at each call rather than keeping it: a cancellation pseudonymizes the row underneath.
/// </summary>
internal sealed class ConsentRecordGrain(ConsentReceiptStore receipts) : Grain, IConsentRecordGrain
{
    Task<ConsentReceipt?> IConsentRecordGrain.Get() => receipts.GetAsync(this.GetPrimaryKeyString());
}
