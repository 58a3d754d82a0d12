using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Consoles;

/// <summary>
/// A user's newest consent receipts, each withdrawal's with the parties told of it and how each notice went (as
/// <c>GET /v1/consent-records/{receiptId}/recipients</c>): what the privacy center shows the user, and the console support.
/// </summary>
public sealed record ConsentReceiptsShown(IReadOnlyList<ConsentReceipt> Receipts, IReadOnlyDictionary<string, IReadOnlyList<RequestRecipient>> Told)
{
    /// <summary>The newest receipts shown; the whole history is the API's paged list and the export.</summary>
    public const int Shown = 100;

    public static ConsentReceiptsShown None { get; } = new([], new Dictionary<string, IReadOnlyList<RequestRecipient>>());

    /// <summary>The receipts of <paramref name="userId"/>, whom the caller was already allowed to see.</summary>
    public static async Task<ConsentReceiptsShown> LoadAsync(IClusterClient cluster, string userId)
    {
        IReadOnlyList<ConsentReceipt> receipts = [.. (await cluster.GetGrain<IUserConsents>(userId).GetConsentHistoryPage(0, Shown, newestFirst: true)).Take(Shown)];
        // The user's own receipts, so no further check: the parties told of each withdrawal, in one look for the page,
        // and no look at all for a page without a withdrawal.
        var withdrawals = receipts.Where(receipt => !receipt.Granted).Select(receipt => receipt.ReceiptId).ToList();
        return new ConsentReceiptsShown(receipts, withdrawals.Count > 0 ? await cluster.GetGrain<IRequestRecipientsGrain>(0).OfEach(withdrawals) : None.Told);
    }
}
