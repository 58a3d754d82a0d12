using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Webhooks;

namespace MeiLing.Grains.Merchants;

/// <summary>
/// A closing merchant anonymizes its customers' orders, but the payment and delivery partners keep each order's payment
/// and delivery by its id: they were told nothing, and the user's ledger still listed them holding it (P4.3, P3.1). Each
/// partner the ledger names for the order is sent a signed <c>customer.redact</c> naming it, retried by the outbox, and
/// listed under the order's closure cause (<see cref="MerchantClosures"/>), where the partner confirms and the user reads
/// it. Written under ids from the order, so a walk that passes the order again writes nothing twice.
/// </summary>
public sealed class ErasedOrderNotices(DisclosureLedgerStore ledger, WebhookOutbox outbox)
{
    private static readonly string[] PartnerCategories = ["orders"];

    public async Task TellPartnersAsync(string merchantId, string orderId, string userId)
    {
        var causeId = MerchantClosures.CauseId(orderId);
        var notices = new List<OutboxEvent>();
        foreach (var (partner, kind) in await ledger.PartnersOfOrderAsync(userId, orderId))
        {
            notices.Add(outbox.Event(
                WebhookEvents.CustomerRedact, partner, kind, causeId,
                new { userId, requestId = (string?)null, merchantId, closureId = causeId, orderIds = new[] { orderId }, categories = PartnerCategories }, causeId));
        }

        if (notices.Count > 0)
        {
            await outbox.WriteAsync(notices, [.. notices.Select(notice => new RecipientListing(causeId, notice.Recipient, notice.RecipientKind, notice.EventId, notice.Type))]);
        }
    }
}
