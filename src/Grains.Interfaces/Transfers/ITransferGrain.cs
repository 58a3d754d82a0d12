namespace MeiLing.Grains.Transfers;

/// <summary>
/// The transfer of a merchant's business to a successor (P3.2), keyed by transfer id (<c>trf_…</c>): every
/// affected user is told the successor's name and the date, at least 30 days ahead; a user who objects
/// before it is left out (their orders at the merchant anonymized); on the date a reminder hands the rest
/// over, each a disclosure with the basis <c>business-transfer</c> that binds the successor to the policy.
/// </summary>
[Alias("meiling.transfer")]
public interface ITransferGrain : IGrainWithStringKey
{
    public const int MinimumNoticeDays = 30;

    /// <summary>Starts the transfer and tells the users; 400 for a date under 30 days ahead, 404 for an unknown merchant or successor.</summary>
    [Alias("start")]
    Task<TransferView> Start(string merchantId, string successorMerchantId, DateTimeOffset effectiveAt);

    /// <summary>
    /// The user objects: left out of the hand-over. 404 unless the transfer concerns the user; 409 on or after their date
    /// (the transfer's, or 30 days after they were told when that is later).
    /// </summary>
    [Alias("object")]
    Task<TransferView> Object(string userId);

    /// <summary>Tells users left untold, and hands the data over once the date has come (what the reminder calls).</summary>
    [Alias("complete-if-due")]
    Task<TransferView> CompleteIfDue();

    [Alias("get")]
    [AlwaysInterleave]
    Task<TransferView?> Get();
}
