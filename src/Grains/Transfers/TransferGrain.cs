using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Grains.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Transfers;

internal sealed partial class TransferGrain(
    [PersistentState("transfer", StorageNames.Default)] IPersistentState<TransferState> state,
    TransferUsersStore users,
    OrderIndexStore orders,
    MemberCardIndexStore cards,
    DisclosureLedgerStore ledger,
    WebhookOutbox outbox,
    IOptions<TransferSettings> settings,
    TimeProvider clock,
    ILogger<TransferGrain> logger) : Grain, ITransferGrain, IRemindable
{
    private const string TransferReminder = "transfer";
    private static readonly TimeSpan NoticeRetry = TimeSpan.FromMinutes(1);

    /// <summary>What the successor receives of each user, and what binds it (P3.2).</summary>
    private static readonly string[] HandedOverFields = ["orders", "memberCards"];

    /// <summary>What the old merchant erases of a user who objected.</summary>
    private static readonly string[] ObjectorCategories = ["orders", "member-card"];

    // What a partner holds of the erased orders: their payments or deliveries, kept by order id.
    private static readonly string[] PartnerCategories = ["orders"];

    private string TransferId => this.GetPrimaryKeyString();

    private TransferState Transfer => state.RecordExists ? state.State : throw DomainException.NotFound("transfer-not-found", "No such transfer.");

    private readonly AbsentRecordLinger _absent = new();

    // P3.2 (*reviewer*): where this activation's pass over the unsettled customers has got to, and whether a customer of the
    // pass could not be settled. One whose hand-over failed (a refused write, a refund a partner would not make) held up
    // every customer after them, objectors whose orders were then never anonymized included: the pass now goes past them,
    // and the transfer completes only after a pass with no failure. In memory: a new activation starts a pass afresh.
    private string _handOverFrom = "";
    private bool _passLeftSomeone;
    private int _failedPasses;
    private int _unreachedPasses;

    // P4.4: any signed-in user names a transfer by its id (objecting, reading who was told of their objection): a made-up
    // id leaves memory in seconds, not after the idle age. A transfer being started has its record by then.
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _absent.Start(this, () => state.RecordExists);
        if (state.RecordExists)
        {
            // Written with the transfer's next change; until then each activation reads it so again.
            state.State.TakeEffectAtTheEndOfItsDay();
        }

        return Task.CompletedTask;
    }

    async Task<TransferView> ITransferGrain.Start(string merchantId, string successorMerchantId, DateTimeOffset effectiveAt)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("transfer-exists", "This transfer has already begun.");
        }

        // P3.2 (*reviewer*): the notice names a day, so the transfer takes effect at the end of a UTC day: given at midnight in
        // a far offset (+14:00), the notice named a day whose objections had closed ten hours before it began in China.
        effectiveAt = UtcDays.WholeDay(effectiveAt);

        // P3.2: the users hear of it at least 30 days before their data moves, so they can object in time.
        if (effectiveAt < clock.GetUtcNow().AddDays(ITransferGrain.MinimumNoticeDays))
        {
            throw DomainException.InvalidField("effectiveAt", "notice-too-short", $"A transfer takes effect at least {ITransferGrain.MinimumNoticeDays} days after its users are told.");
        }

        if (merchantId == successorMerchantId)
        {
            throw DomainException.InvalidField("successorMerchantId", "same-merchant", "A merchant cannot be its own successor.");
        }

        var merchant = await GrainFactory.GetGrain<IMerchantGrain>(merchantId).Get() ?? throw DomainException.NotFound("merchant-not-found", "No such merchant.");
        var successor = await GrainFactory.GetGrain<IMerchantGrain>(successorMerchantId).Get();
        if (successor is not { Status: MerchantStatus.Active })
        {
            throw DomainException.InvalidField("successorMerchantId", "successor-not-found", "The successor must be an active merchant.");
        }

        if (successor.Region != merchant.Region)
        {
            // P4.2: the data stays in its region, whoever holds it.
            throw DomainException.InvalidField("successorMerchantId", "cross-region-transfer", "The successor keeps its data in another region.");
        }

        // P3.2, P4.3: both merchants are held by the transfer until it completes: no second transfer of the business, and
        // neither closes under it. A successor refusing lets the source go again.
        await GrainFactory.GetGrain<IMerchantTransferParty>(merchantId).BeginTransferAway(TransferId);
        try
        {
            await GrainFactory.GetGrain<IMerchantTransferParty>(successorMerchantId).TakeTransferIn(TransferId);
        }
        catch (DomainException)
        {
            await GrainFactory.GetGrain<IMerchantTransferParty>(merchantId).TransferEnded(TransferId);
            throw;
        }

        // The reminder first, due soon: should this call stop after the write, it tells the users left untold.
        await this.RegisterOrUpdateReminder(TransferReminder, NoticeRetry, TimeSpan.FromDays(1));
        state.State.Schedule(merchantId, merchant.Name, successorMerchantId, successor.Name, merchant.Region, effectiveAt);
        await state.WriteStateAsync();
        await NotifyUsersAsync();
        return state.State.ToView(TransferId);
    }

    async Task<TransferView> ITransferGrain.Object(string userId)
    {
        var transfer = Transfer;
        if (transfer.Status == TransferState.Completed)
        {
            throw ObjectionsOver();
        }

        // P3.2 (*reviewer*): until the transfer's date, or 30 days after the user was told if that is later: a customer told
        // late (their inbox failing for days) had only what was left of everyone's 30 days to object in. A transfer that
        // does not concern the caller is, to them, no transfer at all.
        // The answer names the user's own date, as their notice does.
        return await users.ObjectAsync(TransferId, userId, clock.GetUtcNow(), transfer.EffectiveAt) switch
        {
            { Outcome: TransferObjectionOutcome.Recorded, TheirDate: var theirs } => transfer.ToView(TransferId) with { EffectiveAt = theirs ?? transfer.EffectiveAt },
            { Outcome: TransferObjectionOutcome.PeriodOver } => throw ObjectionsOver(),
            _ => throw DomainException.NotFound("transfer-not-found", "No such transfer."),
        };
    }

    private static DomainException ObjectionsOver() =>
        DomainException.Conflict("transfer-effective", "The transfer has taken effect for you; objections were taken until your date.");

    Task<TransferView> ITransferGrain.CompleteIfDue() => CompleteIfDueAsync();

    Task<TransferView?> ITransferGrain.Get() => Task.FromResult(state.RecordExists ? state.State.ToView(TransferId) : null);

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.RecordExists)
        {
            if (await this.GetReminder(TransferReminder) is { } orphan)
            {
                await this.UnregisterReminder(orphan);
            }

            return;
        }

        await CompleteIfDueAsync();
    }

    // One batch of users per call (a reminder tick), their progress in transfer_users: a silo that dies mid-batch
    // leaves the rest to the next tick, and a user settled twice is handed over once (each step is idempotent).
    private async Task<TransferView> CompleteIfDueAsync()
    {
        var transfer = Transfer;
        if (transfer.Status != TransferState.Completed && transfer.NoticesPending)
        {
            await NotifyUsersAsync();
        }

        // Every customer listed before any is handed over: one not yet listed would be left behind. Each is handed over 30
        // days after they were told at the earliest (P3.2, *reviewer*): one who could not be told holds up no other, and
        // one told late keeps their own 30 days, however late.
        if (transfer.Status != TransferState.Completed && transfer.CustomersListed && clock.GetUtcNow() >= transfer.EffectiveAt)
        {
            if (transfer.BeginHandOver())
            {
                await state.WriteStateAsync();
            }

            var batchSize = settings.Value.HandOverBatchSize;
            var batch = await users.DueAsync(TransferId, _handOverFrom, batchSize + 1, clock.GetUtcNow());
            foreach (var (userId, objected) in batch.Take(batchSize))
            {
                _handOverFrom = userId;
                try
                {
                    await (objected ? LeaveOutAsync(userId) : HandOverAsync(userId));
                    await users.MarkSettledAsync(TransferId, transfer.MerchantId, userId, clock.GetUtcNow());
                }
                catch (Exception failed) when (failed is not OperationCanceledException)
                {
                    // Left unsettled for the next pass; the others go on. A refusal is logged by its code (*reviewer*): one
                    // that comes back on every pass (a card refusing its own retry) read as a bare DomainException.
                    _passLeftSomeone = true;
                    LogCustomerNotSettled(TransferId, failed is DomainException refusal ? $"{refusal.Kind} refusal {refusal.Code}" : failed.GetType().Name);
                }
            }

            if (batch.Count > batchSize)
            {
                // More to do: the next tick comes soon; should it be lost, the period brings another.
                await this.RegisterOrUpdateReminder(TransferReminder, settings.Value.NextBatchAfter, NoticeRetry);
            }
            else if (_passLeftSomeone)
            {
                // The pass is over with someone left: another pass from the first, later each time they keep failing (a
                // customer whose hand-over always fails is retried, logged, for as long as the transfer waits on them).
                _handOverFrom = "";
                _passLeftSomeone = false;
                var wait = PassRetry(++_failedPasses);
                await this.RegisterOrUpdateReminder(TransferReminder, wait, wait);
            }
            else
            {
                _handOverFrom = "";
                _failedPasses = 0;
                var (anyLeft, nextDueAt) = await users.UnsettledAsync(TransferId);
                if (!anyLeft && !transfer.NoticesPending)
                {
                    transfer.Complete();
                    await state.WriteStateAsync();
                }
                else if (nextDueAt is { } due && due > clock.GetUtcNow())
                {
                    // Only customers told late are left: the next falls due then (the period still ticks daily).
                    await this.RegisterOrUpdateReminder(TransferReminder, due - clock.GetUtcNow(), TimeSpan.FromDays(1));
                }
                else
                {
                    // Someone untold (the notices' retry tells them, later each time they cannot be reached: *reviewer*), or
                    // due yet behind the pass's place: another pass rather than completing past them, whose objection would
                    // go unheeded.
                    var retry = _unreachedPasses > 0 ? PassRetry(_unreachedPasses) : NoticeRetry;
                    await this.RegisterOrUpdateReminder(TransferReminder, retry, retry);
                }
            }
        }

        if (transfer.Status == TransferState.Completed && await this.GetReminder(TransferReminder) is { } reminder)
        {
            // Before the reminder goes: an interruption in between tells them again on its next tick (each is idempotent).
            await GrainFactory.GetGrain<IMerchantTransferParty>(transfer.MerchantId).TransferEnded(TransferId);
            await GrainFactory.GetGrain<IMerchantTransferParty>(transfer.SuccessorMerchantId).TransferEnded(TransferId);
            await this.UnregisterReminder(reminder);
        }

        return transfer.ToView(TransferId);
    }

    // A batch per call (a reminder tick): the merchant's customers are listed under the transfer a batch at a time from
    // where the last batch stopped, and the untold among them told a batch at a time, so no turn holds them all (P4.4).
    // A user told before an interruption is not told again.
    private async Task NotifyUsersAsync()
    {
        var transfer = state.State;
        var batchSize = settings.Value.NoticeBatchSize;
        if (!transfer.CustomersListed)
        {
            var (customers, next) = await CustomerWalk.NextAsync(orders, cards, transfer.MerchantId, transfer.ListedFrom, batchSize);
            await users.AddAsync(TransferId, transfer.MerchantId, customers.Select(customer => customer.UserId).Distinct(StringComparer.Ordinal));
            transfer.Listed(next);
            await state.WriteStateAsync();
        }

        // P3.2: the date the customer's data moves is the transfer's, or 30 days from now for one told late (their own).
        // To the end of a UTC day, as their objection's deadline runs (TransferUsersStore).
        var theirDate = Max(transfer.EffectiveAt, UtcDays.EndOfDay(clock.GetUtcNow().AddDays(ITransferGrain.MinimumNoticeDays)));
        var notice = new UserNotification(
            NoticeKinds.MerchantTransfer,
            // P3.2 (*reviewer*): the text, an SMS too, names the shop whose business moves: "this merchant" told a customer
            // reading it on their phone nothing of which of their shops it was.
            $"Your data held for {(transfer.MerchantName.Length > 0 ? transfer.MerchantName : "this merchant")} ({transfer.MerchantId}) moves to " +
            $"{transfer.SuccessorName} ({transfer.SuccessorMerchantId}) after {UtcDays.LastDay(theirDate)} (UTC), " +
            $"which is bound by the same privacy policy. To be left out, object by the end of that day (transfer {TransferId}).",
            transfer.MerchantId, clock.GetUtcNow(), theirDate,
            // P3.2 (*reviewer*): the transfer it is about, as a request's status notice names its request: the privacy
            // center's Object form posts the objection to it, for a customer who reads the notice nowhere else.
            Subject: TransferId);
        var untold = await users.UntoldAsync(TransferId, batchSize + 1);
        var unreached = 0;
        foreach (var userId in untold.Take(batchSize))
        {
            try
            {
                // Texted as well (P3.2, *reviewer*): in the inbox alone, a customer who did not open the app within the 30
                // days never learnt of it, nor of their right to object. Texted once: a notice already delivered is not
                // texted again.
                await GrainFactory.GetGrain<IUserNotifications>(userId).NotifyBySms(notice);
                await users.MarkToldAsync(TransferId, userId, clock.GetUtcNow());
            }
            catch (Exception unreachable) when (unreachable is not OperationCanceledException)
            {
                // P3.2 (*reviewer*): one customer whose account could not take the notice (its inbox failing) held every
                // customer after them untold, the batch thrown away at them. They stay untold, tried again on the next
                // tick; the others are told now.
                unreached++;
                LogCustomerUnreached(TransferId, unreachable.GetType().Name);
            }
        }

        if (!transfer.CustomersListed || untold.Count > batchSize || unreached > 0)
        {
            // Counted as they go (a batch cut short may be missed until the last batch counts them all). More to tell: the
            // next batch in a moment; only some who could not be reached: again after a while.
            transfer.Told(Math.Min(untold.Count, batchSize) - unreached);
            await state.WriteStateAsync();
            var more = !transfer.CustomersListed || untold.Count > batchSize;
            // Only some who could not be reached (*reviewer*): tried again later each time, as failing hand-overs are, not
            // texted and logged every minute for as long as their inbox fails.
            var retry = more ? settings.Value.NextBatchAfter : PassRetry(++_unreachedPasses);
            await this.RegisterOrUpdateReminder(TransferReminder, retry, more ? NoticeRetry : retry);
            return;
        }

        _unreachedPasses = 0;
        transfer.NoticesSent(await users.CountAsync(TransferId));
        await state.WriteStateAsync();
        var untilEffective = transfer.EffectiveAt - clock.GetUtcNow();
        await this.RegisterOrUpdateReminder(TransferReminder, untilEffective > TimeSpan.Zero ? untilEffective : TimeSpan.Zero, TimeSpan.FromDays(1));
    }

    // P3.2: the hand-over passes the user's disclosure gate, recorded once with its basis and what binds the
    // successor; then the user's orders and member card move to the successor.
    private async Task HandOverAsync(string userId)
    {
        var transfer = state.State;
        // The transfer names it (the note names both merchants): the ledger finds it again on a retry.
        var purpose = $"business-transfer {TransferId}";
        var gate = GrainFactory.GetGrain<IUserConsentGate>(userId);
        var request = new DisclosureRequest(
            transfer.SuccessorMerchantId, RecipientKind.Merchant, HandedOverFields, purpose,
            null, LawfulBasis.BusinessTransfer, transfer.Region,
            Note: $"Successor {transfer.SuccessorMerchantId} takes over {transfer.MerchantId} (transfer {TransferId}) and is bound by the same privacy policy.");
        try
        {
            // P3.1, P5.1 (*reviewer*): a pass after one that recorded the hand-over and failed further on skipped the gate, and
            // moved the rest of the orders and the card after the guardian withdrew or the account began closing. The gate is
            // asked on every pass; the ledger's row, there already, is not written again.
            if (await ledger.HoldsAsync(userId, transfer.SuccessorMerchantId, purpose, null))
            {
                await gate.CheckDisclosure(request);
            }
            else
            {
                await gate.Disclose(request);
            }
        }
        catch (DomainException gone) when (gone.Kind is DomainErrorKind.NotFound or DomainErrorKind.Forbidden)
        {
            // The account was cancelled (or is being cancelled) since, or the guardian withdrew: nothing more of it is handed over.
            return;
        }

        // Recorded before they move: the merchant keeps its copies under these ids, and hears of them at the user's later rights.
        var handedOver = await OrdersAtMerchantAsync(userId);
        await users.RecordHandedOverOrdersAsync(TransferId, userId, handedOver);
        foreach (var orderId in handedOver)
        {
            await GrainFactory.GetGrain<IOrderGrain>(orderId).HandOverToSuccessor(transfer.MerchantId, transfer.SuccessorMerchantId);
        }

        // One operation id a transfer: the card marks what it moves before crediting the successor, so a pass after an
        // interruption credits that same amount again, which the successor answers as done, and the user is settled
        // (*reviewer*); a card already cleared has nothing left to move.
        await GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(transfer.MerchantId, userId))
            .HandOverToSuccessor(transfer.SuccessorMerchantId, $"transfer:{TransferId}");
    }

    // The user objected: their data at the merchant is erased instead of moving (orders anonymized, card settled),
    // and the merchant is told to erase its own copies (its POS keeps them) by a customer.redact, written first
    // and under an id from the transfer, so a retry writes it once. The notice is listed under the objection's own
    // cause (P3.1), so the user sees how it went and the merchant confirms it, as for a request's recipients. So are the
    // payment and delivery partners' notices: they keep the erased orders' payments and deliveries by order id.
    private async Task LeaveOutAsync(string userId)
    {
        var merchantId = state.State.MerchantId;
        var orderIds = await OrdersAtMerchantAsync(userId);
        var causeId = TransferObjections.CauseId(TransferId, userId);
        var cause = $"{TransferId}\n{userId}";
        var notices = new List<OutboxEvent>
        {
            outbox.Event(
                WebhookEvents.CustomerRedact, merchantId, RecipientKind.Merchant, cause,
                new { userId, requestId = (string?)null, transferId = TransferId, orderIds, categories = ObjectorCategories }, causeId),
        };
        foreach (var ((partner, kind), received) in await ledger.OrderIdsByRecipientAsync(userId))
        {
            // Only the orders erased here: the user's orders at other merchants stay where they are (P3.1).
            var erased = received.Intersect(orderIds, StringComparer.Ordinal).ToList();
            if (kind is RecipientKind.PaymentPartner or RecipientKind.DeliveryPartner && erased.Count > 0)
            {
                // A partner confirms by the cause's id (POST /v1/payment-partners/{partner}/recipient-confirmations), so its
                // notice names it; a merchant confirms by the transfer and the user.
                notices.Add(outbox.Event(
                    WebhookEvents.CustomerRedact, partner, kind, cause,
                    new { userId, requestId = (string?)null, transferId = TransferId, objectionId = causeId, orderIds = erased, categories = PartnerCategories }, causeId));
            }
        }

        await outbox.WriteAsync(notices, [.. notices.Select(notice => new RecipientListing(causeId, notice.Recipient, notice.RecipientKind, notice.EventId, notice.Type))]);
        foreach (var orderId in orderIds)
        {
            await GrainFactory.GetGrain<IOrderGrain>(orderId).AnonymizeAsMerchantLeaves();
        }

        await GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(state.State.MerchantId, userId)).SettleAndEraseBecause(CardSettlementCause.MerchantClosed);
    }

    private static DateTimeOffset Max(DateTimeOffset one, DateTimeOffset other) => one > other ? one : other;

    // A minute after the first failing pass, doubling to an hour: a customer whose hand-over keeps failing is not retried,
    // and logged, every minute for days.
    private static TimeSpan PassRetry(int failedPasses) =>
        TimeSpan.FromMinutes(Math.Min(60, 1 << Math.Min(failedPasses - 1, 6)));

    private async Task<IReadOnlyList<string>> OrdersAtMerchantAsync(string userId) =>
        (await orders.OrderIdsOfUserByMerchantAsync(userId)).GetValueOrDefault(state.State.MerchantId) ?? [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transfer {TransferId}: a customer could not be handed over or left out ({ExceptionType}); tried again on the next pass")]
    private partial void LogCustomerNotSettled(string transferId, string exceptionType);

    // The transfer and the failure's type only: which customer it was is theirs.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Transfer {TransferId}: a customer could not be told ({ExceptionType}); tried again on the next tick")]
    private partial void LogCustomerUnreached(string transferId, string exceptionType);
}
