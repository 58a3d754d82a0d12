using MeiLing.Grains.Access;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MeiLing.Grains.Merchants;

internal sealed partial class MerchantGrain(
    [PersistentState("merchant", StorageNames.Default)] IPersistentState<MerchantState> state,
    OrderIndexStore orders,
    MemberCardIndexStore cards,
    Webhooks.WebhookOutbox outbox,
    ErasedOrderNotices partners,
    ClusterFacts facts,
    IOptions<TerminationSettings> termination,
    IOptions<SiloMessagingOptions> messaging,
    TimeProvider clock,
    ILogger<MerchantGrain> logger) : Grain, IMerchantGrain, IRemindable
{
    public const int MinimumNoticeDays = 30;
    private const string TerminationReminder = "termination";
    private static readonly TimeSpan NoticeRetry = TimeSpan.FromMinutes(1);

    // When this activation last tried the closing's customers kept untold: at most once a minute.
    private DateTimeOffset _unreachedTriedAt = DateTimeOffset.MinValue;

    private string MerchantId => this.GetPrimaryKeyString();

    // P4.3: how long after a termination starts a silo may still take on a customer for the merchant: a silo the change's
    // forget did not reach serves its copy up to SiloFacts.Lifetime (ClusterFacts), and an order or a card checked against a
    // copy just before is written within a grain call's timeout. The notice walk that meets every customer begins after it.
    private TimeSpan FinalNoticeWalkAfter => SiloFacts.Lifetime + messaging.Value.ResponseTimeout;

    private MerchantState Merchant => state.RecordExists ? state.State : throw DomainException.NotFound("merchant-not-found", "No such merchant.");

    async Task<IssuedKey> IMerchantGrain.Open(OpenMerchant command)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("merchant-exists", "A merchant with this id already exists.");
        }

        var now = clock.GetUtcNow();
        var apiKey = ApiKeys.NewKey(CallerRole.Merchant);
        state.State.Open(command, now, ApiKeys.Hash(apiKey));
        await SaveAsync();
        return await ApiKeys.IssueAsync(GrainFactory, CallerRole.Merchant, MerchantId, now, apiKey);
    }

    async Task<IssuedKey> IMerchantGrain.ReplaceKey()
    {
        var merchant = Merchant;
        // P4.3: past its closing date a merchant's keys end (ClosedMerchantKeys), so none is issued either.
        if (ClosedMerchantKeys.EndedWith(merchant.ToView(MerchantId), clock.GetUtcNow()))
        {
            throw DomainException.Conflict("merchant-terminated", "This merchant is closed; it gets no new key.");
        }

        if (merchant.KeyHash is not { } oldHash)
        {
            throw DomainException.Conflict("key-not-recorded", "This merchant was opened before keys were recorded; its key cannot be replaced here.");
        }

        // Old key first, then the record, then the new key: a failure anywhere leaves no key working that
        // the record does not name, and running the replacement again completes it.
        await GrainFactory.GetGrain<IApiKeyGrain>(oldHash).Revoke();
        var apiKey = ApiKeys.NewKey(CallerRole.Merchant);
        merchant.ReplaceKey(ApiKeys.Hash(apiKey));
        await SaveAsync();
        return await ApiKeys.IssueAsync(GrainFactory, CallerRole.Merchant, MerchantId, clock.GetUtcNow(), apiKey);
    }

    async Task IMerchantGrain.ReserveStaffPlace()
    {
        Merchant.EnrolStaff(clock.GetUtcNow());
        // The count is in no view or cached fact: nothing to forget elsewhere.
        await state.WriteStateAsync();
    }

    async Task IMerchantGrain.ReserveStaffPlaceFor(string staffId)
    {
        Merchant.EnrolStaff(staffId, clock.GetUtcNow());
        await state.WriteStateAsync();
    }

    async Task IMerchantGrain.ReserveStaffPlaceBy(string staffId, string? managerId)
    {
        Merchant.EnrolStaff(staffId, clock.GetUtcNow(), byManager: managerId is not null);
        await state.WriteStateAsync();
    }

    async Task IMerchantGrain.ListStaffInUse(string staffId)
    {
        if (state.RecordExists && Merchant.ListEnrolledEarlier(staffId))
        {
            await state.WriteStateAsync();
        }
    }

    async Task IMerchantGrain.TakeWebhookChange()
    {
        Merchant.WebhookChanges.Take(clock.GetUtcNow(), UserQuotas.Day, IMerchantGrain.MaxWebhookChangesPerDay, "changes to its webhook endpoint by the merchant");
        await state.WriteStateAsync();
    }

    async Task IMerchantGrain.TakeKeyReplacement()
    {
        Merchant.KeyReplacements.Take(clock.GetUtcNow(), UserQuotas.Day, IMerchantGrain.MaxKeyReplacementsPerDay, "new API keys issued by the merchant itself");
        await state.WriteStateAsync();
    }

    Task<MerchantStaffIds> IMerchantGrain.StaffIds(int skip, int take)
    {
        var listed = Merchant.StaffIds;
        skip = Math.Clamp(skip, 0, listed.Count);
        return Task.FromResult(new MerchantStaffIds([.. listed.Skip(skip).Take(Math.Max(take, 0))], listed.Count, Merchant.StaffEnrolled));
    }

    async Task<MerchantView?> IMerchantGrain.Get()
    {
        if (!state.RecordExists)
        {
            return null;
        }

        // The transfer the merchant reads on its record is one that holds it: a start that died leaves its id behind a while.
        var view = state.State.ToView(MerchantId);
        return state.State.TransferAway is { } away && !await HoldsAsync(away) ? view with { TransferAwayId = null } : view;
    }

    // P4.3: at least 30 days' notice, the users told now, their data erased or anonymized after.
    async Task<MerchantView> IMerchantGrain.StartTermination(int noticeDays)
    {
        var merchant = Merchant;
        if (noticeDays < MinimumNoticeDays)
        {
            throw DomainException.InvalidField("noticeDays", "notice-too-short", $"A merchant's users get at least {MinimumNoticeDays} days' notice.");
        }

        if (merchant.Status != MerchantStatus.Active)
        {
            throw DomainException.Conflict("merchant-terminating", "This merchant's termination has already begun.");
        }

        // P3.2, P4.3: users handed over to a successor closed before the transfer's date would be stranded there, never
        // erased; a source closing under its own transfer would erase what the transfer told its users it would move.
        if (await OpenTransferAsync(merchant) is { } transferId)
        {
            throw DomainException.Conflict("transfer-pending", $"This merchant is party to transfer {transferId}, still open: terminate it after that transfer's date.");
        }

        // The reminder first, due soon rather than at the end of the notice: should this call stop after the
        // write (a crash, a user grain that fails), the reminder tells the users left untold. A tick that
        // finds the merchant still active does nothing.
        await this.RegisterOrUpdateReminder(TerminationReminder, NoticeRetry, TimeSpan.FromDays(1));
        // To the end of the last day (UTC): the notice names that day, and the erasure comes after it. P4.3: and no earlier
        // than the day the final walk's notice names (NoticeDateFor at its start), so it tells nobody a second date.
        var now = clock.GetUtcNow();
        var finalWalkFrom = now + FinalNoticeWalkAfter;
        var effectiveAt = UtcDays.EndOfDay(now.AddDays(noticeDays));
        var finalWalkDate = UtcDays.EndOfDay(finalWalkFrom.AddDays(MinimumNoticeDays));
        merchant.BeginTermination(effectiveAt > finalWalkDate ? effectiveAt : finalWalkDate, finalWalkFrom);
        // P4.3 (*reviewer*): a failed write is read back (or the activation dropped): kept in memory, the operator's retry
        // heard "already begun" of a termination storage never held, and the reminder's next tick, finding it active, ended.
        try
        {
            await state.WriteOrForgetAsync(this);
        }
        finally
        {
            // Even after a write that failed (*reviewer*): a silo loading its copy while the write waited read it terminating
            // (reads of the merchant interleave), and refused the merchant's sales as closing for the copy's lifetime.
            await facts.ForgetEverywhereAsync(CachedFact.Merchant(MerchantId));
        }

        await NotifyCustomersAsync(merchant);
        return merchant.ToView(MerchantId);
    }

    async Task<MerchantView> IMerchantGrain.CompleteTerminationIfDue() => await CompleteIfDueAsync();

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => await CompleteIfDueAsync();

    // A batch per call (a reminder tick): a merchant with many customers is told and erased over several turns, each
    // holding at most a batch (P4.4), its position saved after each, so an interrupted turn resumes where it stopped.
    private async Task<MerchantView> CompleteIfDueAsync()
    {
        var merchant = Merchant;
        var budget = termination.Value.BatchSize;
        if (merchant.Status == MerchantStatus.Terminating && merchant.NoticesPending)
        {
            budget -= await NotifyCustomersAsync(merchant);
        }

        if (merchant.Status == MerchantStatus.Terminating && !merchant.NoticesPending && budget > 0
            && clock.GetUtcNow() >= merchant.TerminationEffectiveAt)
        {
            if (merchant.ErasureFrom is null)
            {
                // P3.1, P8.1 (*reviewer*): past the date no key of the merchant works, so the users' notices it never
                // confirmed can be confirmed by nobody: closed as the erasure begins, not left on support's list to chase.
                await outbox.CloseMerchantAsync(MerchantId);
            }

            var (customers, next) = await CustomerWalk.NextAsync(orders, cards, MerchantId, merchant.ErasureFrom, budget);
            var progressed = false;
            foreach (var (orderId, userId) in customers)
            {
                progressed |= await EraseCustomerAsync(orderId, userId);
            }

            merchant.ErasureReached(next, progressed);
            if (next is not null)
            {
                await state.WriteStateAsync();
                await this.RegisterOrUpdateReminder(TerminationReminder, termination.Value.NextBatchAfter, NoticeRetry);
                return merchant.ToView(MerchantId);
            }

            // P4.3, P3.2: the walk goes newest first, and an order a business transfer moved in after the walk passed its
            // place was never reached: before the merchant closes, one look from the start; anything still naming a
            // customer is walked again (from the first: what was erased is no longer listed).
            var (left, _) = await CustomerWalk.NextAsync(orders, cards, MerchantId, position: null, budget: MerchantErasureStall.MaxListed);
            if (left.Count > 0)
            {
                await WalkAgainAsync(merchant, left);
                return merchant.ToView(MerchantId);
            }

            // P4.3: a closed merchant's key stops working. Revoking first, so a retry after a failed write
            // finds nothing left to revoke and completes.
            if (merchant.KeyHash is { } keyHash)
            {
                await GrainFactory.GetGrain<IApiKeyGrain>(keyHash).Revoke();
            }

            // The merchant hears its own data is gone in the same step that ends it; one event per merchant.
            await outbox.WriteAsync([outbox.Event(
                Webhooks.WebhookEvents.ShopRedact, MerchantId, Disclosures.RecipientKind.Merchant, MerchantId, new { merchantId = MerchantId })]);
            // P3.1, P8.1: users' notices it never confirmed can be confirmed by nobody now: closed, not chased, not sent on.
            await outbox.CloseMerchantAsync(MerchantId);
            merchant.Terminated();
            await SaveAsync();
        }

        // Active: a termination whose write failed after its reminder was registered; the retry registers it again.
        if (merchant.Status is MerchantStatus.Terminated or MerchantStatus.Active && await this.GetReminder(TerminationReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        return merchant.ToView(MerchantId);
    }

    // True when the customer's data was erased or anonymized now. An order with no stored state (its index row outlived
    // it) or already anonymized answers false, and so does one that fails, logged without the user: the walk goes on
    // past it, and its end finds it again.
    private async Task<bool> EraseCustomerAsync(string? orderId, string userId)
    {
        if (orderId is null)
        {
            // A card leaves the listing with its erasure: met, it is progress.
            await GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(MerchantId, userId)).SettleAndEraseBecause(CardSettlementCause.MerchantClosed);
            return true;
        }

        try
        {
            // Told first: once anonymized, the order names no user whose ledger finds its partners.
            await partners.TellPartnersAsync(MerchantId, orderId, userId);
            return await GrainFactory.GetGrain<IOrderGrain>(orderId).AnonymizeAsMerchantLeaves();
        }
        catch (Exception refused) when (refused is not OperationCanceledException)
        {
            LogOrderNotAnonymized(MerchantId, orderId, refused.GetType().Name);
            return false;
        }
    }

    // P4.3, P4.4: a walk that ends with customers still named walks again at once, while walks make progress. After
    // StalledAfterWalks walks in a row that anonymized nothing (an index row pointing at an order with no state, an order
    // that refuses), going round every batch interval would be a busy loop for ever: the merchant stays closing, what is
    // left is recorded for an operator (GET /v1/merchants/{id}, erasureStalled, and a log line of ids), and it tries again
    // after StalledRetryAfter.
    private async Task WalkAgainAsync(MerchantState merchant, IReadOnlyList<(string? OrderId, string UserId)> left)
    {
        var settings = termination.Value;
        var walksWithoutProgress = merchant.ErasureWalkEndedWithCustomersLeft();
        if (walksWithoutProgress < settings.StalledAfterWalks)
        {
            await state.WriteStateAsync();
            await this.RegisterOrUpdateReminder(TerminationReminder, settings.NextBatchAfter, NoticeRetry);
            return;
        }

        var orderIds = left.Where(customer => customer.OrderId is not null).Select(customer => customer.OrderId!).ToList();
        var now = clock.GetUtcNow();
        merchant.ErasureStalled(orderIds, left.Count - orderIds.Count, now, now + settings.StalledRetryAfter);
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(TerminationReminder, settings.StalledRetryAfter, settings.StalledRetryAfter);
        LogErasureStalled(MerchantId, walksWithoutProgress, string.Join(',', orderIds), left.Count - orderIds.Count, settings.StalledRetryAfter);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing merchant {MerchantId} could not anonymize order {OrderId} ({Reason}); its erasure walk goes on and meets it again")]
    private partial void LogOrderNotAnonymized(string merchantId, string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Closing merchant {MerchantId}'s erasure stalled after {Walks} walks without progress; orders left: {OrderIds}; member cards left: {Cards}; it stays closing and walks again in {RetryAfter}")]
    private partial void LogErasureStalled(string merchantId, int walks, string orderIds, int cards, TimeSpan retryAfter);

    // A batch of customers, from where the last batch stopped; returns how many were walked. A batch cut short
    // is told again on the retry: a user grain keeps one notice per merchant and date, so nobody is told twice.
    // P4.3 (*reviewer*): one customer whose inbox failed stopped the walk at them, every customer after them untold, tick
    // after tick, while the notice period ran. Each customer stands alone now: one not reached is kept and tried again
    // once a minute, in turn (ahead of the walk, so the list shrinks even while the walk holds its place), and whoever is told later
    // than the notice allows is told a later date, which the closing's erasure waits for.
    private async Task<int> NotifyCustomersAsync(MerchantState merchant)
    {
        var now = clock.GetUtcNow();
        var beforeTheDate = now < merchant.TerminationEffectiveAt;
        if (merchant.OwesFinalNoticeWalk && !beforeTheDate)
        {
            // P4.3: no tick came between the final walk's start and the date: as for those kept untold below, a notice now
            // would name a day the erasure no longer waits for. The erasure's last look from the first still meets them all.
            merchant.ForgoFinalNoticeWalk();
            LogFinalNoticeWalkForgone(MerchantId);
        }

        if (merchant.NoticesWalked && !beforeTheDate)
        {
            // Tried every minute until the date: those who still cannot be told are erased untold, counted for the operator,
            // rather than holding every other customer's erasure for good. Not told now (*reviewer*): a notice would name a
            // day the erasure no longer waits for, and moving the date would bring back the keys that ended on it.
            LogNoticesGivenUp(MerchantId, merchant.GiveUpUnreached());
            await state.WriteStateAsync();
            await RemindAfterNoticesAsync(merchant, now, held: false);
            return 0;
        }

        var date = NoticeDateFor(merchant, now);
        var walked = 0;
        var moved = false;
        // Those kept untold, a batch in turn, at most once a minute (the walk's ticks come every second).
        if (merchant.NoticesUnreached.Count > 0 && now - _unreachedTriedAt >= NoticeRetry)
        {
            _unreachedTriedAt = now;
            var retried = merchant.NoticesUnreached.Take(termination.Value.BatchSize).ToList();
            var (told, stillUnreached) = await TellAsync(merchant, retried, date, now);
            merchant.RetriedUnreached(told, stillUnreached);
            moved |= told.Count > 0 && beforeTheDate && merchant.MovedFor(date);
            walked += retried.Count;
        }

        var held = false;
        if (!merchant.NoticesWalked && merchant.NoticeWalkDueAt(now))
        {
            // P4.3: the final walk names the day as of its start, whenever its tick comes (the date as moved for a customer
            // told late): those told before hold that notice (an inbox keeps one per merchant, kind and day), so it tells
            // nobody twice, and a late tick moves no date.
            var walkDate = merchant.FinalNoticeWalk(now) && merchant.NoticesFinalWalkFrom is { } from ? NoticeDateFor(merchant, from) : date;
            var (customers, next) = await CustomerWalk.NextAsync(orders, cards, MerchantId, merchant.NoticesFrom, termination.Value.BatchSize);
            var (told, unreached) = await TellAsync(merchant, customers.Select(customer => customer.UserId).Distinct(StringComparer.Ordinal), walkDate, now);
            walked += customers.Count;
            // Many inboxes failing at once (their storage down): the walk holds its place rather than pass them all by, and
            // tries again in a minute.
            held = !merchant.CanKeepUnreached(unreached);
            if (!held)
            {
                merchant.NoticesReached(next, told, unreached, now);
            }

            moved |= told.Count > 0 && beforeTheDate && merchant.MovedFor(walkDate);
        }

        if (moved)
        {
            // Every silo's copy of the merchant has its date: its keys end then (ClosedMerchantKeys).
            await SaveAsync();
        }
        else
        {
            await state.WriteStateAsync();
        }

        await RemindAfterNoticesAsync(merchant, now, held);
        return walked;
    }

    // P4.3: at least 30 days from the notice, to the end of that day (UTC): a notice names the last day before the erasure,
    // and every notice given on one day names the same, so one sent again that day is the one already held.
    private static DateTimeOffset NoticeDateFor(MerchantState merchant, DateTimeOffset now)
    {
        var theirs = UtcDays.EndOfDay(now.AddDays(MinimumNoticeDays));
        return theirs > merchant.TerminationEffectiveAt!.Value ? theirs : merchant.TerminationEffectiveAt.Value;
    }

    // Returns who was told and who could not be.
    private async Task<(List<string> Told, List<string> Unreached)> TellAsync(
        MerchantState merchant, IEnumerable<string> userIds, DateTimeOffset effectiveAt, DateTimeOffset now)
    {
        var notice = new UserNotification(
            "merchant-termination",
            $"{merchant.Name} is closing on {effectiveAt.AddTicks(-1):yyyy-MM-dd}. After that day your data held for it is erased or anonymized.",
            MerchantId, now, effectiveAt);
        var (told, unreached) = (new List<string>(), new List<string>());
        foreach (var userId in userIds)
        {
            try
            {
                // Texted as well (P4.3, *reviewer*), as a transfer's notice is.
                await GrainFactory.GetGrain<IUserNotifications>(userId).NotifyBySms(notice);
                told.Add(userId);
            }
            catch (Exception unreachable) when (unreachable is not OperationCanceledException)
            {
                unreached.Add(userId);
                LogCustomerUnreached(MerchantId, unreachable.GetType().Name);
            }
        }

        return (told, unreached);
    }

    // More of the walk to tell: the next batch in a moment; only customers kept untold: again in a minute; all told: at the
    // (possibly moved) date, when the erasure begins.
    private Task RemindAfterNoticesAsync(MerchantState merchant, DateTimeOffset now, bool held)
    {
        if (held)
        {
            return this.RegisterOrUpdateReminder(TerminationReminder, NoticeRetry, NoticeRetry);
        }

        if (!merchant.NoticesWalked)
        {
            // P4.3: a walk waiting for the final one's start ticks then, not every batch interval until then.
            var due = merchant.NoticeWalkDueAt(now) ? termination.Value.NextBatchAfter : merchant.NoticesFinalWalkFrom!.Value - now;
            return this.RegisterOrUpdateReminder(TerminationReminder, due, NoticeRetry);
        }

        if (merchant.NoticesPending)
        {
            return this.RegisterOrUpdateReminder(TerminationReminder, NoticeRetry, NoticeRetry);
        }

        var untilEffective = merchant.TerminationEffectiveAt!.Value - now;
        return this.RegisterOrUpdateReminder(TerminationReminder, untilEffective > TimeSpan.Zero ? untilEffective : TimeSpan.Zero, TimeSpan.FromDays(1));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing merchant {MerchantId}: its final notice walk had not begun by its date (no reminder tick came); a customer taken on as it began closing may be erased untold")]
    private partial void LogFinalNoticeWalkForgone(string merchantId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing merchant {MerchantId}: {Count} customers could not be told by its date and are erased untold")]
    private partial void LogNoticesGivenUp(string merchantId, int count);

    // The merchant and the failure's type only: which customer it was is theirs.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing merchant {MerchantId}: a customer could not be told ({ExceptionType}); tried again in a minute")]
    private partial void LogCustomerUnreached(string merchantId, string exceptionType);

    // Silos keep a copy of the merchant for orders and cards (its region, whether it still takes customers):
    // every change is forgotten on all of them before the change answers.
    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        await facts.ForgetEverywhereAsync(CachedFact.Merchant(MerchantId));
    }
}
