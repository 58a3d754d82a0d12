using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;

namespace MeiLing.Api.Consoles;

/// <summary>
/// What the Re-send button beside a recipient posts to: the console page that sends the notice of its cause again (a
/// request's, or a consent withdrawal's under its receipt), with the route values that name the cause and the recipient.
/// </summary>
public sealed record RedeliverButton(string Page, IDictionary<string, string> Route, RequestRecipient Recipient)
{
    public static RedeliverButton OfRequest(string requestId, RequestRecipient recipient) =>
        new("/Console/Redelivery", new Dictionary<string, string> { ["requestId"] = requestId, ["recipient"] = recipient.Recipient }, recipient);

    /// <summary>The route names the receipt's user too: the audit entry is about them, and the outcome is shown on their page.</summary>
    public static RedeliverButton OfWithdrawal(ConsentReceipt receipt, RequestRecipient recipient) =>
        new("/Console/WithdrawalRedelivery", new Dictionary<string, string>
        {
            ["userId"] = receipt.UserId, ["receiptId"] = receipt.ReceiptId, ["recipient"] = recipient.Recipient,
        }, recipient);
}
