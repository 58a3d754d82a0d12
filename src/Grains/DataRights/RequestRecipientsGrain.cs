using MeiLing.Grains.Platform;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Transfers;
using MeiLing.Grains.Webhooks;

namespace MeiLing.Grains.DataRights;

// Holds nothing between calls, which wait on PostgreSQL: one call at a time per worker (a worker per core) would queue
// every caller behind the slowest query on the silo.
[StatelessWorker]
[Reentrant]
internal sealed class RequestRecipientsGrain(WebhookOutboxStore store, TimeProvider clock) : Grain, IRequestRecipientsGrain
{
    // P3.1, P8.1: by the request's id, except a listing a later notice superseded, until that notice reached the merchant
    // (WebhookOutboxStore.ConfirmAsync): 409 notice-not-delivered, as for a notice confirmed by an id the party works out.
    async Task<RequestRecipient?> IRequestRecipientsGrain.Confirm(string requestId, string merchantId) =>
        Confirmed(await store.ConfirmAsync(requestId, merchantId, clock.GetUtcNow()));

    Task<RequestRecipient?> IRequestRecipientsGrain.ConfirmReceived(string causeId, string merchantId, string? eventId) =>
        ConfirmReceivedAsync(causeId, merchantId, [RecipientKind.Merchant], eventId);

    private async Task<RequestRecipient?> ConfirmReceivedAsync(string causeId, string recipient, IReadOnlyList<RecipientKind> kinds, string? eventId) =>
        Confirmed(await store.ConfirmReceivedAsync(causeId, recipient, kinds, eventId, clock.GetUtcNow()));

    private static RequestRecipient? Confirmed(ReceivedConfirmation confirmation) =>
        confirmation.Outcome switch
        {
            ReceivedConfirmationOutcome.Confirmed => confirmation.Recipient,
            ReceivedConfirmationOutcome.NotListed => null,
            _ => throw DomainException.Conflict(
                "notice-not-delivered", "The notice has not reached this recipient: confirm once its endpoint has answered it."),
        };

    Task<IReadOnlyList<RequestRecipient>> IRequestRecipientsGrain.Of(string causeId) => store.RecipientsOfAsync(causeId);

    // A partner confirms a cause whose id it can work out only once its notice reached it: a closure's is the order's id
    // behind a prefix, which the partner holds; an objection's comes from the transfer and the user, both named in another
    // objector's notice, so it confirmed erasures it never heard of, off support's chase list for good (P3.1, P3.2). A
    // request's or a receipt's id is random: a partner knows it only from its notice, or from support chasing it; still,
    // a listing a later notice superseded waits for that notice to reach it (P3.1, P8.1: WebhookOutboxStore.ConfirmAsync).
    async Task<RequestRecipient?> IRequestRecipientsGrain.ConfirmAsPartner(string causeId, string partner) =>
        MerchantClosures.IsCauseId(causeId) || TransferObjections.IsCauseId(causeId)
            ? await ConfirmReceivedAsync(causeId, partner, [RecipientKind.PaymentPartner, RecipientKind.DeliveryPartner], eventId: null)
            : Confirmed(await store.ConfirmPartnerAsync(causeId, partner, clock.GetUtcNow()));

    async Task<RequestRecipient?> IRequestRecipientsGrain.Redeliver(string causeId, string recipient)
    {
        var redelivery = await store.RedeliverAsync(causeId, recipient, clock.GetUtcNow());
        return redelivery.Outcome switch
        {
            RedeliveryOutcome.Redelivered => redelivery.Recipient,
            RedeliveryOutcome.NotListed => null,
            // A recipient still being tried, or told, hears nothing more from support: no spamming a merchant.
            RedeliveryOutcome.NotFailed => throw DomainException.Conflict(
                "recipient-not-failed", $"Only a recipient whose retries ran out is sent its notice again; this one is {redelivery.Recipient!.Status}."),
            _ => throw DomainException.Conflict(
                "notice-expired", "The notice left the outbox with its retention period (it named the user); it cannot be sent again."),
        };
    }

    async Task<IReadOnlyDictionary<string, IReadOnlyList<RequestRecipient>>> IRequestRecipientsGrain.OfEach(IReadOnlyList<string> causeIds)
    {
        if (causeIds.Count > IDataRightsRequestsGrain.MaxPageSize)
        {
            throw DomainException.Invalid("too-many-causes", $"At most {IDataRightsRequestsGrain.MaxPageSize} causes at a time.");
        }

        return causeIds.Count == 0 ? new Dictionary<string, IReadOnlyList<RequestRecipient>>() : await store.RecipientsOfEachAsync(causeIds);
    }

    async Task<FailedWithdrawalNotices> IRequestRecipientsGrain.FailedWithdrawals(int limit)
    {
        limit = Math.Clamp(limit, 1, IRequestRecipientsGrain.MaxFailedWithdrawals);
        // One more than the cap is counted, so a count at the cap is told apart from one beyond it.
        var (rows, counted) = await store.FailedWithdrawalsAsync(limit, IRequestRecipientsGrain.FailedWithdrawalsCounted + 1);
        var receipts = await Task.WhenAll(rows.Select(row => row.ReceiptId).Distinct()
            .Select(receiptId => GrainFactory.GetGrain<IConsentRecordGrain>(receiptId).Get()));
        var byId = receipts.OfType<ConsentReceipt>().ToDictionary(receipt => receipt.ReceiptId);
        return new FailedWithdrawalNotices(
            [.. rows.Where(row => byId.ContainsKey(row.ReceiptId)).Select(row => new FailedWithdrawalNotice(byId[row.ReceiptId], row.Recipient))],
            Math.Min(counted, IRequestRecipientsGrain.FailedWithdrawalsCounted), counted > IRequestRecipientsGrain.FailedWithdrawalsCounted);
    }

    async Task<DataRightsRequestPage> IRequestRecipientsGrain.Unconfirmed(string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize);
        var after = cursor ?? "";
        var ids = await store.UnconfirmedCausesAsync(EntityId.RequestPrefix, clock.GetUtcNow() - IRequestRecipientsGrain.ConfirmWithin, after, limit + 1);
        var page = ids.Take(limit).ToList();
        var views = await Task.WhenAll(page.Select(id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).Get()));
        return new DataRightsRequestPage([.. views.OfType<DataRightsRequestView>()], ids.Count > limit ? page[^1] : null);
    }

    async Task<TransferObjectionNoticePage> IRequestRecipientsGrain.UnconfirmedObjections(string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize);
        var rows = await store.UnconfirmedObjectionsAsync(clock.GetUtcNow() - IRequestRecipientsGrain.ConfirmWithin, cursor ?? "", limit + 1);
        var page = rows.Take(limit).ToList();
        var recipients = page.Count == 0 ? [] : await store.RecipientsOfEachAsync([.. page.Select(row => row.CauseId)]);
        return new TransferObjectionNoticePage(
            [.. page.Select(row => new TransferObjectionNotice(row.TransferId, row.UserId, recipients.GetValueOrDefault(row.CauseId) ?? []))],
            rows.Count > limit ? page[^1].CauseId : null);
    }

    async Task<ClosureNoticePage> IRequestRecipientsGrain.UnconfirmedClosures(string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize);
        var rows = await store.UnconfirmedClosuresAsync(clock.GetUtcNow() - IRequestRecipientsGrain.ConfirmWithin, cursor ?? "", limit + 1);
        var page = rows.Take(limit).ToList();
        var recipients = page.Count == 0 ? [] : await store.RecipientsOfEachAsync([.. page.Select(row => row.CauseId)]);
        return new ClosureNoticePage(
            [.. page.Select(row => new ClosureNotice(row.OrderId, row.UserId, recipients.GetValueOrDefault(row.CauseId) ?? []))],
            rows.Count > limit ? page[^1].CauseId : null);
    }

    async Task<ClosureNoticePage> IRequestRecipientsGrain.ClosuresOf(string userId, string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize);
        var causes = await store.ClosureCausesOfUserAsync(userId, cursor ?? "", limit + 1);
        var page = causes.Take(limit).ToList();
        var recipients = page.Count == 0 ? [] : await store.RecipientsOfEachAsync(page);
        return new ClosureNoticePage(
            [.. page.Select(cause => new ClosureNotice(cause[MerchantClosures.CausePrefix.Length..], userId, recipients.GetValueOrDefault(cause) ?? []))],
            causes.Count > limit ? page[^1] : null);
    }

    // The route names the user, so support's audit entry names them: the order must be theirs, or another user's erasure
    // would be re-sent under this one's name.
    async Task<RequestRecipient?> IRequestRecipientsGrain.RedeliverClosure(string userId, string orderId, string recipient) =>
        await store.IsOrderOfUserAsync(userId, orderId)
            ? await ((IRequestRecipientsGrain)this).Redeliver(MerchantClosures.CauseId(orderId), recipient)
            : null;

    async Task<WithdrawalNoticePage> IRequestRecipientsGrain.UnconfirmedWithdrawals(string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize);
        var ids = await store.UnconfirmedCausesAsync(EntityId.ReceiptPrefix, clock.GetUtcNow() - IRequestRecipientsGrain.ConfirmWithin, cursor ?? "", limit + 1);
        var page = ids.Take(limit).ToList();
        var receipts = await Task.WhenAll(page.Select(id => GrainFactory.GetGrain<IConsentRecordGrain>(id).Get()));
        var recipients = page.Count == 0 ? [] : await store.RecipientsOfEachAsync(page);
        return new WithdrawalNoticePage(
            [.. receipts.OfType<ConsentReceipt>().Select(receipt => new WithdrawalNotice(receipt, recipients.GetValueOrDefault(receipt.ReceiptId) ?? []))],
            ids.Count > limit ? page[^1] : null);
    }
}
