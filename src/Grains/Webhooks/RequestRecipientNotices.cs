using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Transfers;

namespace MeiLing.Grains.Webhooks;

/// <summary>
/// Makes a data-rights request reach every party outside the platform that the disclosure ledger shows
/// received the data it covers (P3.1, P4.1): lists them on the request and writes each its event in the
/// outbox, in one transaction, from one step of the request. Run again, it writes nothing new.
/// </summary>
public sealed class RequestRecipientNotices(
    IGrainFactory grains, DisclosureLedgerStore ledger, OrderIndexStore orders, MemberCardIndexStore cards, TransferUsersStore transfers, WebhookOutbox outbox,
    TimeProvider clock)
{
    /// <summary>The step of a request's plan that tells its recipients.</summary>
    public const string NotifyRecipients = "notify-recipients";

    // Which fields handed over each erasable category covers; a deletion tells only those who received them.
    private static readonly Dictionary<ErasableCategory, string[]> FieldsOfCategory = new()
    {
        [ErasableCategory.Addresses] = ["address", "doorNumber"],
        [ErasableCategory.Avatar] = ["avatarUrl"],
        [ErasableCategory.BirthDate] = ["birthDate"],
        [ErasableCategory.Locations] = ["location"],
    };

    // The parts of an order's delivery: a delivery partner received them by name, a merchant inside "delivery".
    private static readonly string[] DeliveryParts = ["recipientName", "gender", "phone", "address", "doorNumber"];

    // What a merchant that took an order for the user holds, read back or not.
    private static readonly string[] OrderFields = ["orderId", "lines", "totalFen", "delivery"];

    // What a merchant keeping a member card for the user holds: the user's id and the card's balance and movements (P1.6).
    private static readonly string[] MemberCardFields = ["userId", "memberCard"];

    /// <summary>
    /// Lists the request's recipients and writes their events; returns how many parties were listed.
    /// <paramref name="ordersChanged"/> are the orders a deletion of addresses erased the address of (a party is told to
    /// erase it from those alone), or the orders a correction of the delivery readdressed (a party is told which of its
    /// orders now carry the corrected values).
    /// </summary>
    public async Task<int> NotifyAsync(
        string requestId, string userId, DataRightsRequestType type, RequestDetails details, IReadOnlyCollection<string> ordersChanged)
    {
        if (type == DataRightsRequestType.Withdrawal)
        {
            return await NotifyWithdrawalAsync(requestId, userId, details.Purposes);
        }

        var recipients = (await ledger.RecipientsAsync(userId))
            .Where(recipient => recipient.Kind is not (RecipientKind.LegalAuthority or RecipientKind.AdvertisingPartner or RecipientKind.AnalyticsPartner))
            .ToDictionary(recipient => (recipient.Recipient, recipient.Kind), recipient => recipient.Fields);
        // The orders each merchant holds now, by the order index; a merchant that handed the user over is told the ones it
        // handed over besides (below), which are the successor's now.
        var heldByMerchant = await orders.OrderIdsOfUserByMerchantAsync(userId);
        var ordersByMerchant = new Dictionary<string, IReadOnlyList<string>>(heldByMerchant, StringComparer.Ordinal);
        foreach (var merchantId in ordersByMerchant.Keys)
        {
            // A merchant that holds an order of the user holds its data, read back or not, whatever else the ledger says
            // it received: a successor's hand-over names "orders", not the delivery inside them, yet a correction of that
            // delivery is for the merchant that will deliver it (P3.1, P3.2).
            recipients[(merchantId, RecipientKind.Merchant)] = WithFields(recipients, merchantId, OrderFields);
        }

        foreach (var (merchantId, handedOver) in await transfers.MerchantsThatHandedOverAsync(userId))
        {
            // A merchant that handed the user over to a successor (P3.2) kept what its own systems held: the orders
            // and the card it had, though both are the successor's now. It is told the orders it handed over: the order
            // index names the successor, and the user id alone does not tell it what to erase.
            recipients[(merchantId, RecipientKind.Merchant)] = WithFields(recipients, merchantId, [.. OrderFields, .. MemberCardFields]);
            ordersByMerchant[merchantId] = [.. (ordersByMerchant.GetValueOrDefault(merchantId) ?? []).Union(handedOver, StringComparer.Ordinal)];
        }

        if (type == DataRightsRequestType.Cancellation)
        {
            foreach (var merchantId in await transfers.MerchantsUnconfirmedOfObjectionAsync(userId))
            {
                // A merchant the user objected to erased nothing it confirmed: its notice of the objection failed or went
                // unanswered, and a cancellation then closes that notice (ErasureSteps) as told by this one. Its own
                // systems kept the orders and card it had; the user id names them there.
                recipients[(merchantId, RecipientKind.Merchant)] = WithFields(recipients, merchantId, [.. OrderFields, .. MemberCardFields]);
            }
        }

        foreach (var merchantId in await cards.MerchantsOfUserAsync(userId))
        {
            // So does a merchant that keeps a member card for the user, whether or not it ever took an order.
            recipients[(merchantId, RecipientKind.Merchant)] = WithFields(recipients, merchantId, MemberCardFields);
        }

        if (type == DataRightsRequestType.Correction && details.Delivery is not null)
        {
            foreach (var merchantId in recipients.Keys.Where(key => key.Kind == RecipientKind.Merchant).Select(key => key.Recipient).ToList())
            {
                // A merchant whose orders for the user hold no delivery (picked up, or anonymized since; the ones it handed
                // over included), or that holds none of them any more (erased at the user's objection to its transfer, or
                // at its closure), holds no delivery, whatever its reads recorded: a correction of a delivery's parts is
                // none of its business, and telling it would tell it of the user's deliveries elsewhere (P3.1).
                var ids = ordersByMerchant.GetValueOrDefault(merchantId) ?? [];
                if (!(await GrainFanOut.CallEachAsync(ids, id => grains.GetGrain<IOrderGrain>(id).HoldsDelivery())).Contains(true))
                {
                    recipients[(merchantId, RecipientKind.Merchant)] = [.. recipients[(merchantId, RecipientKind.Merchant)].Where(field => field != "delivery")];
                }
            }
        }

        // A payment or delivery partner is told the orders it received the user's data for (P3.1): the user id alone does
        // not tell it what to erase or correct in its own records. The ledger's rows are this user's, so no other user's order.
        var partnerOrders = await ledger.OrderIdsByRecipientAsync(userId);
        var erasesAddresses = type == DataRightsRequestType.Deletion && details.Categories.Contains(ErasableCategory.Addresses);
        var changed = new HashSet<string>(ordersChanged, StringComparer.Ordinal);
        var told = recipients.Select(pair =>
        {
            var ((recipient, kind), fields) = pair;
            IReadOnlyList<string> orderIds = kind == RecipientKind.Merchant
                ? ordersByMerchant.GetValueOrDefault(recipient) ?? []
                : partnerOrders.GetValueOrDefault((recipient, kind)) ?? [];
            if (erasesAddresses)
            {
                // A deletion of addresses erased them from the user's orders past delivery, and a party is told to erase them
                // from those alone: an order still to be delivered keeps its address, on the platform as at the merchant,
                // and a party holding none of the erased ones has nothing to erase (P3.1).
                orderIds = [.. orderIds.Where(changed.Contains)];
                if (orderIds.Count == 0)
                {
                    fields = [.. fields.Where(field => field != "delivery" && !DeliveryParts.Contains(field))];
                }
            }

            // A correction readdresses the orders still to be delivered; one past delivery keeps where it was delivered, so
            // a party holding only such orders (the delivery partner, mostly) learns that none of its orders changed.
            // Of a merchant's, only those it still holds: one it handed over is read at the successor's, not at its own.
            IReadOnlyList<string> readdressed = kind == RecipientKind.Merchant
                ? [.. orderIds.Where(id => changed.Contains(id) && (heldByMerchant.GetValueOrDefault(recipient)?.Contains(id) ?? false))]
                : [.. orderIds.Where(changed.Contains)];
            return EventFor(type, details, userId, requestId, fields, orderIds, readdressed) is var (eventType, data)
                ? outbox.Event(eventType, recipient, kind, requestId, data, requestId)
                : null;
        });
        return await WriteAsync(requestId, [.. told.OfType<OutboxEvent>()]);
    }

    /// <summary>
    /// P3.1, P4.1: the order a deletion of addresses (<paramref name="requestId"/>) left its address to be delivered is past
    /// delivery now, and has erased it: its merchant, any merchant that handed it over to that one in a business transfer
    /// (P3.2), and the delivery partner the ledger shows received that order, are told to erase it from that order, as the
    /// request told them of the orders already past delivery. Listed on the request, as its other recipients are; a party
    /// listed already is shown this notice from now on, unconfirmed again (<see cref="RecipientListing.Supersedes"/>). Its
    /// own event per order, so written again (a crash before the order's write) it changes nothing.
    /// </summary>
    public async Task NotifyOwedAddressErasedAsync(string requestId, string userId, string merchantId, string orderId)
    {
        var cause = $"{requestId}\n{orderId}";
        var data = new { userId, requestId, orderIds = new[] { orderId }, categories = new[] { Kebab(ErasableCategory.Addresses) } };
        var partners = (await ledger.PartnersOfOrderAsync(userId, orderId)).Where(partner => partner.Kind == RecipientKind.DeliveryPartner);
        // A merchant that handed the order over to a successor (P3.2) kept its own copy, address and all: the request's own
        // notice tells it of the orders it handed over (NotifyAsync), and so is it told of this one, which names only the
        // successor now. Closed since, it is listed and told nothing, as there (WriteAsync).
        var handedOverBy = (await transfers.MerchantsThatHandedOverAsync(userId))
            .Where(merchant => merchant.Value.Contains(orderId, StringComparer.Ordinal))
            .Select(merchant => merchant.Key);
        await WriteAsync(requestId, [
            .. new[] { merchantId }.Union(handedOverBy, StringComparer.Ordinal)
                .Select(merchant => outbox.Event(WebhookEvents.CustomerRedact, merchant, RecipientKind.Merchant, cause, data, requestId)),
            .. partners.Select(partner => outbox.Event(WebhookEvents.CustomerRedact, partner.Recipient, partner.Kind, cause, data, requestId)),
        ], supersedes: true);
    }

    /// <summary>
    /// A withdrawal concerns only the parties that received the user's data under a grant of a withdrawn purpose
    /// (as a withdrawal made directly does, <see cref="ConsentWithdrawalNotices"/>); each is told the purposes it
    /// received data under, and no one else learns of the user's choices (P1.10, P3.1). The event names the request, the
    /// cause a merchant or partner confirms by.
    /// </summary>
    private async Task<int> NotifyWithdrawalAsync(string requestId, string userId, IReadOnlyList<ConsentPurpose> purposes)
    {
        var purposesOf = new Dictionary<(string Recipient, RecipientKind Kind), List<string>>();
        foreach (var purpose in purposes)
        {
            foreach (var recipient in await ledger.RecipientsUnderConsentAsync(userId, purpose))
            {
                (purposesOf.TryGetValue(recipient, out var names) ? names : purposesOf[recipient] = []).Add(ConsentPurposes.Name(purpose));
            }
        }

        return await WriteAsync(requestId, [.. purposesOf.Select(pair =>
            outbox.Event(WebhookEvents.ConsentWithdrawn, pair.Key.Recipient, pair.Key.Kind, requestId, new { userId, purposes = pair.Value, requestId }, requestId))]);
    }

    // What the merchant is known to hold: the ledger's fields and those it holds by what it keeps of the user.
    private static string[] WithFields(Dictionary<(string Recipient, RecipientKind Kind), IReadOnlyList<string>> recipients, string merchantId, IEnumerable<string> held) =>
        [.. (recipients.GetValueOrDefault((merchantId, RecipientKind.Merchant)) ?? []).Union(held)];

    // Each recipient listed on the request with the event that tells it, in one transaction; returns how many. A merchant
    // closed since it received the user's data is listed and told nothing (ClosedMerchants). Superseding, a party listed
    // already is shown the new event in place of the one it was listed with (RecipientListing.Supersedes).
    private async Task<int> WriteAsync(string requestId, IReadOnlyList<OutboxEvent> events, bool supersedes = false)
    {
        var (told, listed) = await ClosedMerchants.ListAsync(grains, clock, requestId, events);
        await outbox.WriteAsync(told, supersedes ? [.. listed.Select(listing => listing with { Supersedes = true })] : listed);
        return events.Count;
    }

    private static (string Type, object Data)? EventFor(
        DataRightsRequestType type, RequestDetails details, string userId, string requestId, IReadOnlyList<string> fields, IReadOnlyList<string> orderIds,
        IReadOnlyList<string> readdressedOrderIds)
    {
        switch (type)
        {
            case DataRightsRequestType.Cancellation:
                return (WebhookEvents.CustomerRedact, new { userId, requestId, orderIds, categories = fields });
            case DataRightsRequestType.Deletion:
                var covered = details.Categories
                    .Where(category => FieldsOfCategory.TryGetValue(category, out var covers) && covers.Any(field => Holds(fields, field)))
                    .Select(Kebab).ToList();
                return covered.Count > 0 ? (WebhookEvents.CustomerRedact, new { userId, requestId, orderIds, categories = covered }) : null;
            case DataRightsRequestType.Access:
                return (WebhookEvents.CustomerDataRequest, new { userId, requestId, orderIds });
            case DataRightsRequestType.Correction:
                var corrected = CorrectedFields(details).Where(field => fields.Contains(field) || (fields.Contains("delivery") && field.StartsWith("delivery.", StringComparison.Ordinal))).ToList();
                // The orders too (P3.1): a partner keeps the delivery it received by order, and the user id alone finds nothing.
                // Which of them carry the corrected values now (P3.1): the party reads those again; the others were delivered
                // where the platform keeps them delivered, and no route shows a party the values of an order it did not get.
                return corrected.Count > 0
                    ? (WebhookEvents.CustomerUpdated, new { userId, requestId, orderIds, readdressedOrderIds, fields = corrected })
                    : null;
            default:
                return null;
        }
    }

    // Whether a party that received these fields holds this one: by name, or as a part of a delivery it received whole,
    // so a deletion of addresses reaches the merchant holding them inside its orders' delivery as it does the delivery partner (P3.1).
    private static bool Holds(IReadOnlyList<string> fields, string field) =>
        fields.Contains(field) || (fields.Contains("delivery") && DeliveryParts.Contains(field));

    private static IEnumerable<string> CorrectedFields(RequestDetails details)
    {
        if (details.Correction is { } profile)
        {
            if (profile.Nickname is not null)
            {
                yield return "nickname";
            }

            if (profile.AvatarUrl is not null)
            {
                yield return "avatarUrl";
            }

            if (profile.BirthDate is not null)
            {
                yield return "birthDate";
            }
        }

        if (details.Delivery is { } delivery)
        {
            // Delivery partners received these fields by name; merchants received them inside "delivery".
            foreach (var (name, corrected) in new[]
            {
                ("recipientName", delivery.RecipientName is not null), ("gender", delivery.Gender is not null), ("phone", delivery.Phone is not null),
                ("address", delivery.Address is not null), ("doorNumber", delivery.DoorNumber is not null),
            })
            {
                if (corrected)
                {
                    yield return name;
                    yield return $"delivery.{name}";
                }
            }
        }
    }

    private static string Kebab(ErasableCategory category) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(category.ToString());
}
