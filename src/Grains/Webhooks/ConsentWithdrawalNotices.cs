using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;

namespace MeiLing.Grains.Webhooks;

/// <summary>
/// Records a consent decision. A withdrawal also tells each party that received the user's data under a grant of
/// that purpose (the disclosure ledger's consent-based hand-overs) with a <c>consent.withdrawn</c> event, written
/// in the same transaction as the receipt: once the withdrawal is durable, so is every notice of it (P1.10, P3.1).
/// </summary>
public sealed class ConsentWithdrawalNotices(IGrainFactory grains, DisclosureLedgerStore ledger, WebhookOutbox outbox, TimeProvider clock)
{
    // A withdrawal request tells every recipient from its own step (RequestRecipientNotices); not twice.
    private const string ByWithdrawalRequest = "data-rights-request";

    /// <summary>
    /// Appends the receipt, with the notices of a withdrawal; when this returns, both are durable.
    /// <paramref name="mayHaveRecipients"/> false (the user grain knows no one received data under that grant) skips looking.
    /// </summary>
    public async Task RecordAsync(ConsentReceipt receipt, bool mayHaveRecipients = true)
    {
        var recipients = receipt.Granted || receipt.CollectionMethod == ByWithdrawalRequest || !mayHaveRecipients
            ? []
            : await ledger.RecipientsUnderConsentAsync(receipt.UserId, receipt.Purpose);
        var purposes = new[] { ConsentPurposes.Name(receipt.Purpose) };
        var events = recipients
            .Select(recipient => outbox.Event(
                WebhookEvents.ConsentWithdrawn, recipient.Recipient, recipient.Kind, receipt.ReceiptId,
                new { userId = receipt.UserId, purposes, receiptId = receipt.ReceiptId }, receipt.ReceiptId))
            .ToList();
        // Listed under the receipt, as a request's recipients are under the request: the user sees each told,
        // retried, failed or confirmed (GET /v1/consent-records/{receiptId}/recipients), and each confirms by the receipt's id.
        // A merchant closed since is listed and told nothing, as on a request (ClosedMerchants).
        var (told, listed) = events.Count == 0 ? ([], []) : await ClosedMerchants.ListAsync(grains, clock, receipt.ReceiptId, events);
        await outbox.WriteWithAsync(told, listed, ConsentReceiptStore.AppendCommand(receipt));
    }
}
