namespace MeiLing.Grains.Merchants;

/// <summary>
/// A merchant as a party to business transfers (P3.2), which a transfer tells as it begins and ends. While one is open, the
/// merchant is neither the source of another (its users would be told of one and handed over by the other, past their
/// objection) nor closed (users handed to a closed successor would be stranded there, never erased: P4.3).
/// </summary>
[Alias("meiling.merchant-transfer-party")]
public interface IMerchantTransferParty : IGrainWithStringKey
{
    /// <summary>
    /// Records the merchant as the source of <paramref name="transferId"/>: 409 <c>merchant-terminating</c> unless it is
    /// active, 409 <c>transfer-exists</c> while another transfer of its business, or one into it, is open; 404 for an
    /// unknown merchant.
    /// </summary>
    [Alias("begin-transfer-away")]
    Task BeginTransferAway(string transferId);

    /// <summary>
    /// Records the merchant as the successor of <paramref name="transferId"/>: 400 <c>successor-not-found</c> unless it is
    /// active, 409 <c>transfer-exists</c> while its own business is being transferred.
    /// </summary>
    [Alias("take-transfer-in")]
    Task TakeTransferIn(string transferId);

    /// <summary>The transfer completed (or never began): the merchant is no longer held by it.</summary>
    [Alias("transfer-ended")]
    Task TransferEnded(string transferId);
}
