using System.Globalization;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Identity;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Payments;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Reports;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Logging;

namespace MeiLing.Grains.Orders;

// An order is busy for moments (placed, then paid at the counter or on the phone) and then rarely read again: its
// activation need not stay the silo-wide default of 15 minutes, holding memory and lengthening the silo's walks over
// its activations (ActivationFootprint). A payment confirmed later finds the order again in one read.
[CollectionAgeLimit("00:00:30")]
internal sealed partial class OrderGrain(
    [PersistentState(OrderGrain.StateName, StorageNames.Default)] IPersistentState<OrderState> state,
    OrderIndexStore index,
    TakingsLedger takings,
    PaymentPartners partners,
    SiloFacts facts,
    OrderPlacement placement,
    Webhooks.RequestRecipientNotices recipientNotices,
    TimeProvider clock,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain
{
    /// <summary>The name its state is stored under, which <see cref="NewOrders"/> writes new orders with.</summary>
    internal const string StateName = "order";

    private static readonly string[] DeliveryFields = ["recipientName", "gender", "phone", "address", "doorNumber"];
    private static readonly string[] PaymentFields = ["orderId", "merchantId", "amountFen"];
    private static readonly string[] OrderFields = ["orderId", "lines", "totalFen", "payments", "delivery"];

    private string OrderId => this.GetPrimaryKeyString();

    private readonly AbsentRecordLinger _absent = new();

    // Whether this activation knows the order's listing row is written: a replayed placement writes it once, not per replay.
    private bool _listingWritten;

    // Whether this activation knows every takings row the stored order calls for, and its listing row's status, are written
    // (since its last state write): a replayed payment or confirmation writes them once, not per replay.
    private bool _moneyFollowUpsWritten;

    // Outside its scope a caller is told the order does not exist.
    private OrderState OrderFor(OrderCaller caller, params OrderParty[] parties) =>
        state.RecordExists && parties.Contains(caller.Party) && IsInScope(caller)
            ? state.State
            : throw NoSuchOrder();

    // A made-up order id leaves memory in seconds, not after the order's idle age. Not checked at activation: every new
    // order activates without a record, and placing it makes one.
    private DomainException NoSuchOrder()
    {
        _absent.Start(this, () => state.RecordExists);
        return DomainException.NotFound("order-not-found", "No such order.");
    }

    private bool IsInScope(OrderCaller caller) => caller.Party switch
    {
        OrderParty.Merchant => caller.Id == state.State.MerchantId,
        OrderParty.User => caller.Id == state.State.UserId,
        // P1.7: support helps users; a sale with no user (walk-in, or anonymized with its user's account) is the
        // merchant's business alone.
        OrderParty.Support => state.State.UserId is not null,
        _ => false,
    };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A payment that was begun but not finished (the silo died in between) is finished now, exactly once.
        await ResumePaymentsAsync();

        // Likewise a refund whose money or stock had not all moved.
        foreach (var refund in state.State.UnfinishedRefunds().ToList())
        {
            try
            {
                await FinishRefundAsync(refund);
            }
            catch (DomainException refused)
            {
                // As for payments below: a refused resume leaves the refund to the next activation, not the order unreadable.
                LogResumeRefused("refund", refund.RefundId, refused.Code);
            }
        }
    }

    // A resume the platform refuses (the partner is no longer configured, or refuses) must not make the order throw on
    // every activation: reads, cancellation and anonymization (account cancellation, merchant termination, transfers)
    // would all fail with it. The payment stays begun, since its money may have moved, and is tried again next time.
    // P1.6 (*reviewer*): a payment its card or partner refused outright is abandoned (nothing moved). When it is one a
    // till is retrying (answering), that refusal is returned for the till's answer: logged only, the retry was answered
    // 201 with the order as if it were paid, and a till trusting that handed the goods over unpaid.
    private async Task<DomainException?> ResumePaymentsAsync(IReadOnlyCollection<string>? answering = null)
    {
        DomainException? answer = null;
        foreach (var pending in state.State.PendingPayments.ToList())
        {
            try
            {
                await ExecutePaymentAsync(pending, resumed: true);
            }
            catch (DomainException refused)
            {
                LogResumeRefused("payment", pending.PaymentId, refused.Code);
                if (answering?.Contains(pending.PaymentId) == true && state.State.FindPayment(pending.PaymentId) is null)
                {
                    answer ??= refused;
                }
            }
        }

        return answer;
    }

    async Task<OrderView> IOrderGrain.Place(PlaceOrder command)
    {
        try
        {
            return await PlaceAsync(command);
        }
        finally
        {
            // An order refused (an unknown user, a closed merchant, no stock) leaves memory in seconds, not after its idle
            // age. Checked here first: a placed order, the common case, allocates nothing for it.
            if (!state.RecordExists)
            {
                _absent.Start(this, () => state.RecordExists);
            }
        }
    }

    private async Task<OrderView> PlaceAsync(PlaceOrder command)
    {
        if (state.RecordExists)
        {
            if (!state.State.IsSameOrder(command))
            {
                throw DomainException.Conflict("order-exists", "A different order already has this id.");
            }

            // An order placed before its listing joined its state's commit may have died between the two; writing it again is
            // harmless, once per activation (P4.4, *reviewer*: a till replaying its Idempotency-Key at wire speed rewrote the
            // row on every request).
            if (!_listingWritten)
            {
                await index.UpsertWithLineFactsAsync(OrderId, state.State);
                _listingWritten = true;
            }

            return state.State.ToView(OrderId);
        }

        if (!command.IsWalkIn)
        {
            return await PlaceInCustomersTurnAsync(command);
        }

        state.State = await placement.PrepareAsync(OrderId, command);
        await WriteOrForgetAsync(() => index.WriteWithPlacedStateAsync(OrderId, state.State, state.WriteStateAsync));

        // Placing is an order's busiest moment; what follows (a payment, a refund, a read) comes seconds to days later
        // and finds it again with one read. Leaving memory now keeps the silo's heap and its walks over activations
        // free of orders that wait (docs/performance.md: a sixth of the silo's CPU went to collecting and counting them).
        this.DeactivateOnIdle();
        return state.State.ToView(OrderId);
    }

    // An order for a user is placed by the user's grain, in its turn, as one under a minted id is (IUserOrderPlacer): its
    // gate and its commit with nothing of the user's between them, so a cancellation filed meanwhile waits and then finds
    // it. The row it inserts under this grain's id is this grain's state, read back.
    private async Task<OrderView> PlaceInCustomersTurnAsync(PlaceOrder command)
    {
        try
        {
            var placed = await GrainFactory.PlaceNewOrder(OrderId, command);
            await state.ReadStateAsync();
            this.DeactivateOnIdle();
            return placed;
        }
        catch (DomainException taken) when (taken.Code == "order-exists")
        {
            // A first attempt whose answer this grain never had (it timed out) may have been placed all the same: its
            // retry is answered with that order, as a retry of a placed order is.
            await state.ReadStateAsync();
            if (state.RecordExists && state.State.IsSameOrder(command))
            {
                return state.State.ToView(OrderId);
            }

            throw;
        }
    }

    async Task<OrderView?> IOrderGrain.Read(OrderCaller caller)
    {
        if (!state.RecordExists || !IsInScope(caller))
        {
            _absent.Start(this, () => state.RecordExists);
            return null;
        }

        if (caller.Party == OrderParty.Merchant && state.State.UserId is { } userId)
        {
            // P3.1: a third-party merchant reading the order receives the user's order data.
            await User(userId).Disclose(MerchantReading(state.State));
        }

        return ViewFor(caller, state.State);
    }

    // Support reads an order to help with it, not to learn where the user lives (P1.7). Nor does a cashier once the order is
    // past delivery (*reviewer*: a till's key read every delivered order's name, phone and address for good), whether it
    // reads the order or is answered by a payment's replay or a status change; the merchant's own key and its managers keep
    // reading them, the merchant's record of what it delivered where.
    private OrderView ViewFor(OrderCaller caller, OrderState order)
    {
        var view = order.ToView(OrderId);
        return caller.Party == OrderParty.Support || (caller.IsCashier && !order.DeliveryStillNeeded(clock.GetUtcNow()))
            ? view.MaskedForSupport()
            : view;
    }

    Task<string?> IOrderGrain.ExportPersonalData(string userId) =>
        Task.FromResult(state.RecordExists && state.State.UserId == userId
            ? PersonalDataExporter.Export(state.State.ToView(OrderId), state.State).ToJsonString()
            : null);

    // An API host of the previous release sends no member code: its staff's member-card payments are refused, as new ones without it.
    Task<OrderView> IOrderGrain.Pay(OrderCaller caller, PaymentMethod method, long amountFen) =>
        PayAsync(new OrderPayment(caller, method, amountFen));

    Task<OrderView> IOrderGrain.PayWith(OrderPayment payment) => PayAsync(payment);

    async Task IOrderGrain.AskMemberCode(OrderCaller caller, long amountFen)
    {
        var order = OrderFor(caller, OrderParty.Merchant);
        CheckPayable(order, PaymentMethod.MemberCard, amountFen, clock.GetUtcNow());
        await RefuseShortCardAsync(order, amountFen);
        // P6.1: texting the user at the merchant's asking processes their number, through the one gate as the payment will.
        await User(order.UserId!).AuthorizeProcessing(ProcessingRequest.Under("member-card-code", LawfulBasis.ContractNecessity));
        // P1.6, P4.4: each member gets ten a day from one shop at most, but a till could text every member with a balance.
        // The key's day first, so a cashier past theirs spends none of the shop's; then the shop's, all its keys together.
        if (caller.StaffId is { } staffId)
        {
            await DailyAllowance(DailyAllowanceKind.MemberCodesByStaffKey, staffId).Take();
        }

        await DailyAllowance(DailyAllowanceKind.MemberCodesByMerchant, order.MerchantId).Take();
        // P4.4: counted against this shop's own allowance of texts to the member, not every shop's.
        await Credentials(order.UserId!).SendMemberCodeForMerchant(order.MerchantId, await MemberCodeScopeAsync(order, amountFen));
    }

    private async Task<OrderView> PayAsync(OrderPayment request)
    {
        var (caller, method, amountFen) = (request.Caller, request.Method, request.AmountFen);
        var order = OrderFor(caller, OrderParty.Merchant, OrderParty.User);
        if (method == PaymentMethod.Marked && caller.Party != OrderParty.Merchant)
        {
            // 标记收款: the merchant says it took cash. Only the merchant can say so; a user saying it moves no money.
            throw DomainException.Forbidden("merchant-only-payment-method", "Only the merchant records a marked (cash) payment.");
        }

        if (request.PaymentId is { } retried && order.FindPayment(retried) is { } made)
        {
            // P1.6 (*reviewer*): a payment retried under its Idempotency-Key (its answer lost) drew on the card, or charged
            // the partner, a second time. It is the payment already made, or being made (finished here first).
            if (made.Method != method || made.AmountFen != amountFen)
            {
                throw DomainException.Conflict("idempotency-key-reused", "This Idempotency-Key was used for another payment; use a new key for a new payment.");
            }

            // P1.6 (*reviewer*): refused on its resume (the card now short, the partner declining), it is answered with that
            // refusal, as its first attempt would have been: not with 503, which had the till try again for nothing.
            if (await ResumePaymentsAsync([retried]) is { } refused)
            {
                throw refused;
            }

            if (order.MadePayment(retried) is null)
            {
                throw PaymentStillBegun();
            }

            // P1.6 (*reviewer*): the first attempt may have written the order and then failed to write its takings row (503):
            // answered from the order alone, the retry left the day's report short of the payment for good (and the merchant's
            // list showed the order awaiting payment).
            await WriteMoneyFollowUpsOnceAsync();
            return await AnswerAsync(caller, order);
        }

        if (order.PendingPayments.Count > 0)
        {
            // A payment left begun (its card or partner could not answer, 503) is finished before another is taken. The
            // same payment asked again without a key (the till trying again after the 503) is that one, not a second draw.
            var sameBegun = order.PendingPayments
                .Where(p => p.Method == method && p.AmountFen == amountFen && p.TakenBy == TakenByOf(caller))
                .Select(p => p.PaymentId).ToList();
            // P1.6 (*reviewer*): the till's retry asks for the begun payment, not for a new one besides it, so it is answered
            // with what became of that one. Refused now (the member spent the balance meanwhile, the partner declined), it
            // paid nothing: answered 201 with the order, the till handed the goods over unpaid. The refusal is the answer,
            // as to a first attempt refused; asking again then makes a new payment, through every check a new one passes.
            if (await ResumePaymentsAsync(sameBegun) is { } refused)
            {
                throw refused;
            }

            if (order.PendingPayments.Count > 0)
            {
                throw PaymentStillBegun();
            }

            if (sameBegun.Count > 0)
            {
                // Neither begun nor refused: made.
                return await AnswerAsync(caller, order);
            }
        }

        // One moment for the check and the payment: a charge the check still counted must not lapse by the time it is begun.
        var now = clock.GetUtcNow();
        CheckPayable(order, method, amountFen, now);
        if (Access.ClosedMerchantKeys.EndedWith(await facts.MerchantAsync(order.MerchantId), now))
        {
            // P4.3, P1.6 (*reviewer*): past its closing date no key of the merchant works, so nobody could give back what a
            // customer paid it then (its erasure gives back only orders to be delivered).
            throw DomainException.Conflict("merchant-closed", "This merchant closed; it takes no more payments.");
        }

        if (method == PaymentMethod.MemberCard && caller.Party == OrderParty.User && !request.SignedInRecently
            && await Credentials(order.UserId!).RequiresMemberCode())
        {
            // P1.6, P4.4: a member who chose that every draw on their cards needs their code is not drawn on by whoever
            // holds a copy of their session: a merchant in league would place an order for them and the copy pay it, the
            // code never asked. Their own payment needs a password proven lately instead, as turning the code off does.
            throw DomainException.Forbidden("recent-sign-in-required",
                "Paying from a member card you protected with your code needs a recent sign-in: sign in again (POST /v1/sessions) and pay again. 请重新登录后再操作。");
        }

        string? memberCodeScope = null;
        if (method == PaymentMethod.MemberCard && caller.Party == OrderParty.Merchant
            && (caller.StaffId is not null || await Credentials(order.UserId!).RequiresMemberCode()))
        {
            // P1.6: the card holds the member's money. Staff at the till draw on it only with the code the member was
            // texted for this order and amount, so a cashier cannot spend a customer's balance on someone else's goods;
            // a member who chose so is asked whatever key the till uses.
            memberCodeScope = await CheckMemberCodeAsync(order, request.MemberCode, amountFen);
        }

        if (method == PaymentMethod.MemberCard)
        {
            // P4.4 (*reviewer*): a draw the card cannot cover is refused before anything is begun: begun and abandoned, each
            // such attempt wrote the order twice, and a loop of them was bounded by nothing but the caller's rate.
            await RefuseShortCardAsync(order, amountFen);
        }

        if (order.UserId is { } userId)
        {
            // P6.1: paying processes the user's data on their behalf.
            await User(userId).AuthorizeProcessing(ProcessingRequest.Under("pay-order", LawfulBasis.ContractNecessity));
        }

        if (method is PaymentMethod.Wechat or PaymentMethod.Alipay)
        {
            // Before anything is begun: a partner that is not configured, or that may not receive the user's data
            // (P4.2), refuses the payment with nothing pending, which would otherwise hold the order's outstanding
            // amount and block its cancellation. P1.6, P3.1: the hand-over is recorded here, once per payment.
            await DiscloseToPaymentPartnerAsync(order, partners.For(method), PaymentPurpose);
        }

        var payment = new OrderState.PaymentRecord
        {
            PaymentId = request.PaymentId ?? EntityId.NewInTimeOrder(EntityId.PaymentPrefix, now),
            Method = method,
            AmountFen = amountFen,
            At = now,
            // P1.6: a marked payment is cash a staff member says they took; the ledger names them, as for top-ups and refunds.
            TakenBy = TakenByOf(caller),
            // P1.6 (*reviewer*): kept with the begun payment, so that whoever finishes it spends the code (ExecutePaymentAsync).
            MemberCodeScope = memberCodeScope,
        };
        // The charges this payment was allowed past (CheckPayable) lapse as it begins, in its write: a confirmation arriving
        // while it is under way then gives the charge back instead of paying the order twice.
        order.LapseStalePartnerPayments(now, payment.PaymentId);
        order.BeginPayment(payment);
        if (payment.Method != PaymentMethod.Marked)
        {
            // Money moves outside this grain: the pending record lets a restarted grain finish it exactly once.
            // A marked payment moves nothing, so it is begun and completed in the one write below.
            await WriteOrForgetAsync();
        }

        await ExecutePaymentAsync(payment, firstAttempt: true);
        return await AnswerAsync(caller, order);
    }

    private static DisclosureRequest MerchantReading(OrderState order) =>
        new(order.MerchantId, RecipientKind.Merchant, OrderFields, "order-management", null, LawfulBasis.ContractNecessity, order.Region);

    // P3.1: a payment or a status change answers with the order, and to a merchant that answer is a read of it: the
    // hand-over is recorded as Read records it, and while the user's gate refuses (the account being cancelled, a
    // guardian's withdrawal) the answer leaves the delivery out. What the call did stands either way: a closing account's
    // orders still get cancelled and refunded.
    private async Task<OrderView> AnswerAsync(OrderCaller caller, OrderState order)
    {
        var view = ViewFor(caller, order);
        if (caller.Party != OrderParty.Merchant || order.UserId is not { } userId)
        {
            return view;
        }

        try
        {
            await User(userId).Disclose(MerchantReading(order));
            return view;
        }
        catch (DomainException refused) when (refused.Kind == DomainErrorKind.Forbidden)
        {
            return view with { Delivery = null };
        }
        catch (Exception failed)
        {
            // The payment or status change is written: a 500 now would have the merchant retry what already happened
            // (a second payment). Unrecorded, the delivery is not handed over.
            LogAnswerNotRecorded(OrderId, failed.GetType().Name);
            return view with { Delivery = null };
        }
    }

    // P1.6: the card holds the member's money; every draw on it reaches the member, whoever made it (the merchant's own key
    // needs no code). A notice that fails to arrive does not undo a payment already made.
    private async Task TellMemberOfChargeAsync(OrderState order, OrderState.PaymentRecord payment)
    {
        try
        {
            await GrainFactory.GetGrain<IUserNotifications>(order.UserId!).Notify(new UserNotification(
                NoticeKinds.MemberCardCharged,
                string.Create(CultureInfo.InvariantCulture, $"Your member card paid {payment.AmountFen / 100m:0.00} yuan of order {OrderId}."),
                order.MerchantId, clock.GetUtcNow(), null, payment.PaymentId));
        }
        catch (Exception unsent)
        {
            LogChargeNoticeNotSent(payment.PaymentId, unsent.GetType().Name);
        }
    }

    private static string? TakenByOf(OrderCaller caller) =>
        caller.Party == OrderParty.Merchant ? TakingsLedger.TakenBy(caller.StaffId) : null;

    private static DomainException PaymentStillBegun() => DomainException.Unavailable("payment-pending",
        "A payment of this order is still being made (its card or partner has not answered); read the order and try again shortly.");

    private static void CheckPayable(OrderState order, PaymentMethod method, long amountFen, DateTimeOffset now)
    {
        if (method == PaymentMethod.MemberCard && order.UserId is null)
        {
            throw DomainException.Conflict("no-member-card", "A walk-in sale has no customer, and so no member card to draw on.");
        }

        if (!order.TakesPayments())
        {
            // P4.1: an anonymized order's customer has gone; a charge confirmed for it would only be given back.
            throw DomainException.Conflict("order-not-payable", order.Anonymized
                ? "An anonymized order takes no payment."
                : $"An order that is {Describe(order.Status)} takes no payment.");
        }

        if (order.Delivery is not null && !order.IsOnItsWay(now))
        {
            // P1.5, P3.1 (*reviewer*): an unpaid order past its window is no longer on its way: the user's corrections of
            // their delivery skip it, and a deletion of addresses erases its address. Paid now, it would bring the address
            // the user corrected away back to the merchant and the delivery partner.
            throw DomainException.Conflict("order-expired",
                $"An order to be delivered takes payments for {OrderState.UnpaidDeliveryWindow.TotalDays:0} days after it is placed; cancel it (what was paid goes back) and place it again with the customer's current delivery.");
        }

        var outstandingFen = order.TotalFen - order.CommittedFen(now);
        if (amountFen < 1 || amountFen > outstandingFen)
        {
            throw DomainException.Conflict("overpayment", $"The outstanding amount is {outstandingFen} fen.");
        }

        if (method == PaymentMethod.MemberCard && amountFen > MemberCardGrain.MaxOperationFen)
        {
            // Refused here, before the payment is begun: the card would refuse it after, and a begun payment blocks the
            // order's cancellation and holds its amount.
            throw DomainException.InvalidField("amountFen", "invalid-amount",
                $"A member card pays at most {MemberCardGrain.MaxOperationFen} fen at a time; pay the rest in another payment.");
        }

        order.RefusePaymentBeyondLimit();
    }

    // The text names the shop as the member knows it, so a code asked for by another shop's till is not given.
    private async Task<string> MemberCodeScopeAsync(OrderState order, long amountFen) =>
        MemberCodes.Scope((await facts.MerchantAsync(order.MerchantId))?.Name ?? order.MerchantId, OrderId, amountFen);

    // A code is the member's word for one draw: none is texted for a draw the card cannot cover.
    private async Task RefuseShortCardAsync(OrderState order, long amountFen)
    {
        if (await MemberCard(order).GetBalance() < amountFen)
        {
            throw MemberCardGrain.InsufficientBalance();
        }
    }

    // Checked, not spent: the code is spent only once the card has paid (SpendMemberCodeAsync). A balance drawn down by
    // another payment after any check of ours makes the debit refuse, and the till can use the same code once the card
    // is topped up. No other draw can use the code meanwhile: it is good for this order and amount only, and this
    // order's payments take turns.
    private async Task<string> CheckMemberCodeAsync(OrderState order, string? memberCode, long amountFen)
    {
        if (string.IsNullOrEmpty(memberCode))
        {
            throw DomainException.Forbidden("member-code-required",
                $"Staff draw on a member card only with the code texted to the member for this order and amount: ask for it at POST /v1/orders/{OrderId}/member-code.");
        }

        var scope = await MemberCodeScopeAsync(order, amountFen);
        if (!await Credentials(order.UserId!).MatchesMemberCodeForMerchant(order.MerchantId, memberCode, scope))
        {
            throw DomainException.InvalidField("memberCode", "verification-failed",
                "The member code is wrong, expired, used up, or was sent for another order or amount; ask for a new one.");
        }

        return scope;
    }

    // The card has paid: the code is used up. Failing to say so leaves a code good for minutes more, for this order and
    // amount only, and does not undo the payment.
    private async Task SpendMemberCodeAsync(OrderState order, string scope)
    {
        try
        {
            await Credentials(order.UserId!).SpendMemberCode(scope);
        }
        catch (Exception unspent)
        {
            LogMemberCodeNotSpent(OrderId, unspent.GetType().Name);
        }
    }

    async Task<OrderView> IOrderGrain.ConfirmPartnerPayment(PartnerPaymentConfirmation confirmation)
    {
        // A partner confirms only what it was asked to charge: another partner's payment, or none, is not found.
        if (!state.RecordExists)
        {
            // A made-up order id leaves memory in seconds, as on every other path; the partner hears what any miss says.
            _absent.Start(this, () => state.RecordExists);
        }

        if (state.RecordExists && state.State.MadePayment(confirmation.PaymentId) is null
            && state.State.FindPayment(confirmation.PaymentId) is { Method: PaymentMethod.Wechat or PaymentMethod.Alipay } begun
            && partners.For(begun.Method).Name == confirmation.Partner)
        {
            // *reviewer*: a charge whose call went unanswered in time is begun, not made; its partner's confirmation was 404
            // (a partner that takes 404 as final kept the money unrecorded). It finishes the charge first, asked again under
            // its id (the partner answers it once); still unanswered, 503 and the partner sends it again.
            await ExecutePaymentAsync(begun);
        }

        var payment = state.RecordExists ? state.State.MadePayment(confirmation.PaymentId) : null;
        if (payment is null || payment.Method is not (PaymentMethod.Wechat or PaymentMethod.Alipay)
            || partners.For(payment.Method).Name != confirmation.Partner)
        {
            throw DomainException.NotFound("payment-not-found", "No payment of this partner has this id.");
        }

        var order = state.State;
        if (payment.AmountFen != confirmation.AmountFen || !order.IsReferenceOf(payment, confirmation.PartnerReference))
        {
            throw DomainException.Conflict("confirmation-mismatch", "The confirmation's amount or reference differs from the payment's.");
        }

        // Written with the confirmation below: an order anonymized before references were kept gets its charge's back.
        payment.PartnerReference ??= confirmation.PartnerReference;
        var refundId = ReturnOfPaymentNotTakenId(payment.PaymentId);
        var statusBefore = order.Status;
        // A charge the till moved past is not taken either, though the order may still await payment: taking it would pay
        // twice what the payment that took its place paid; nor one for an order whose address is gone.
        order.LapseChargeOfOrderWithoutAddress(payment);
        var takesPayments = order.TakesPayments() && !payment.Lapsed;
        if (order.ConfirmPartnerPayment(payment))
        {
            // P1.6, P4.1: the partner took the customer's money for an order that no longer takes any (its customer
            // gone, or it was closed while the charge awaited its partner). The confirmation is taken, so the partner
            // stops sending it, and the money goes back through the partner; the plan is written with the
            // confirmation, before any money moves, and a replay or the next activation finishes it.
            var refund = takesPayments ? null : order.PlanReturnOfPaymentNotTaken(payment, refundId, clock.GetUtcNow());
            await WriteOrForgetAsync();
            if (refund is not null)
            {
                LogPaymentNotTakenReturned(OrderId, payment.PaymentId, confirmation.Partner, refund.AmountFen);
                await FinishRefundAsync(refund);
            }
            else
            {
                await RecordTakingsAsync();
                if (order.Status != statusBefore)
                {
                    await UpdateIndexAsync();
                }

                _moneyFollowUpsWritten = true;
            }
        }
        else if (order.FindRefund(refundId) is { } planned && order.UnfinishedRefunds().Contains(planned))
        {
            // A replay finds the refund its first delivery planned and could not finish (the partner was unreachable).
            await FinishRefundAsync(planned);
        }
        else
        {
            // P1.6 (*reviewer*): a replay of a confirmation taken before, whose takings row may have failed after the order's
            // write (the partner heard 503 and sent it again): answered from the order alone, the row was never written.
            await WriteMoneyFollowUpsOnceAsync();
        }

        return order.ToView(OrderId);
    }

    // One per order, as the closing refund's: scoped by a word no merchant's Idempotency-Key reaches.
    private string ReturnOfPaymentsTakenId => EntityId.FromIdempotencyKey(EntityId.RefundPrefix, "customer-left", OrderId);

    // One per payment, however often its confirmation arrives; never a merchant's (their refund ids are scoped by order id).
    private static string ReturnOfPaymentNotTakenId(string paymentId) =>
        EntityId.FromIdempotencyKey(EntityId.RefundPrefix, OrderState.RefundRecord.OrderNotPayable, paymentId);

    async Task<bool> IOrderGrain.Anonymize()
    {
        if (!state.RecordExists)
        {
            return false;
        }

        // Money already drawn is accounted for before the order loses its user.
        await ResumePaymentsAsync();
        if (state.State is { UserId: not null } ofUser && ofUser.PendingPayments.Exists(payment => payment.Method == PaymentMethod.MemberCard))
        {
            // P4.1, P1.6: a card payment still begun (its card did not answer) may have drawn the money. Once the order has
            // forgotten the user it can neither finish it nor give it back (order-anonymized): it was dropped, and the card,
            // settled next, lacked the amount. Refused instead, so the step that anonymizes is tried again.
            throw PaymentStillBegun();
        }

        var cancelled = false;

        // P4.1: an order still awaiting payment can never be paid once its customer has left (an anonymized order takes no
        // payment), so it is cancelled first: what they paid toward it by member card goes back onto the card, and so into
        // the card's settlement that follows, a partner's charge back to the partner, and its stock back on the shelf, as a
        // merchant's cancellation gives them back. Kept as it was, the merchant held the part payment for an order nobody
        // could finish or cancel. A charge still awaiting its partner's word is left to that word, which gives it back
        // (ReturnOfPaymentNotTaken) and then closes the order; what was taken besides it goes back now, not with that word,
        // which may never come.
        // No new disclosure for a partner's refund: the partner is in the user's ledger since it took the payment, and
        // the user's gate takes none from an account that is closing (the erasure would be refused as a whole).
        if (state.State is { Status: OrderStatus.PendingPayment, UserId: not null, PendingPayments.Count: 0 } unpaid)
        {
            if (!unpaid.Payments.Exists(payment => payment.AwaitingPartner))
            {
                await RefundEverythingAsync(unpaid, staffId: null, disclosesToPartner: false, ClosingRefundCause.CustomerLeft);
                // Written with the anonymization below: a crash before that write finds the refund finished (or
                // planned, and finishes it) and cancels again.
                unpaid.MoveTo(OrderStatus.Cancelled);
                cancelled = true;
            }
            else
            {
                if (unpaid.PlanReturnOfPaymentsTaken(ReturnOfPaymentsTakenId, clock.GetUtcNow()) is not null)
                {
                    // The plan is durable before any money moves: a retry finishes it here, a crash on the next activation.
                    await WriteOrForgetAsync();
                }

                if (unpaid.FindRefund(ReturnOfPaymentsTakenId) is { } taken && unpaid.UnfinishedRefunds().Contains(taken))
                {
                    await FinishRefundAsync(taken, disclosesToPartner: false);
                }
            }
        }

        // P4.1, P1.6 (*reviewer*): a paid order whose delivery is still to be made (on its way: paid within its window, not
        // fulfilled) can never be delivered once its customer has left, for the anonymization erases its address. Kept paid,
        // the card's settlement that follows covered only the balance left, and the merchant's cancellation after was 409
        // order-anonymized: the merchant kept money for goods nobody could deliver. So it is cancelled and everything goes
        // back first, as when the merchant leaves (AnonymizeAsMerchantLeaves), and for the same reason only an order to be
        // delivered: one handed over at the counter is seldom marked fulfilled, and the customer would have both the goods
        // and the money. Nothing begun (refused above for a card, or a partner's charge left to its word) and no charge
        // awaiting its partner's word (which decides it, as for the unpaid order above). No new disclosure to a partner,
        // as above.
        else if (state.State is { Status: OrderStatus.Paid, UserId: not null, PendingPayments.Count: 0, Delivery: not null } undelivered
            && undelivered.IsOnItsWay(clock.GetUtcNow())
            && !undelivered.Payments.Exists(payment => payment.AwaitingPartner && !payment.Lapsed))
        {
            try
            {
                // Planned and written with the status it closes the order in before any money moves; the card's part goes
                // back first (FinishRefundAsync), so a partner's part that cannot go back does not keep it from the card.
                await RefundEverythingAsync(undelivered, staffId: null, disclosesToPartner: false, ClosingRefundCause.CustomerLeft, OrderStatus.Cancelled);
            }
            catch (DomainException refused) when (state.State.ClosingRefund() is { } stopped && OnlyPartnersPartsLeft(stopped.RefundId))
            {
                // Left to the order's next activation or the merchant's retry, which need no user (FinishCardPartsOfRefundsAsync).
                LogResumeRefused("refund", stopped.RefundId, refused.Code);
            }

            // Written with the anonymization below when the refund had nothing to move (and so wrote nothing).
            state.State.MoveTo(OrderStatus.Cancelled);
            cancelled = true;
        }

        if (state.State.UserId is not null)
        {
            await FinishCardPartsOfRefundsAsync();
        }

        var changed = state.State.Anonymize();
        if (changed || cancelled)
        {
            await WriteOrForgetAsync();
        }

        await UpdateIndexAsync();
        return changed;
    }

    // P4.1, P1.6: a refund not finished as the customer leaves (a partner's part refused: the partner down, or the account
    // closing, whose gate takes no disclosure) gives its member-card parts back now, while the order still knows whose card
    // it is: afterwards each try was 409 order-anonymized, and the card was settled without the money drawn back onto it.
    // The partners' parts are tried too, with no new disclosure (the partner is in the user's ledger since it took the
    // payment, as for the unpaid order above); one the partner refuses is left to the order's next activation or the
    // merchant's retry, which need no user. A card part that could not go back stops the anonymization, to be tried again.
    private async Task FinishCardPartsOfRefundsAsync()
    {
        foreach (var refund in state.State.UnfinishedRefunds().ToList())
        {
            try
            {
                await FinishRefundAsync(refund, disclosesToPartner: false);
            }
            catch (DomainException refused) when (OnlyPartnersPartsLeft(refund.RefundId))
            {
                LogResumeRefused("refund", refund.RefundId, refused.Code);
            }
        }
    }

    // Whether all a refund has left to give back is partners' parts, which need no user: read from the state as it is now,
    // for a failed write put back what is stored.
    private bool OnlyPartnersPartsLeft(string refundId) =>
        state.State.FindRefund(refundId) is { } stored
        && stored.Parts.TrueForAll(part => part.Done || part.Method is PaymentMethod.Wechat or PaymentMethod.Alipay);

    async Task<bool> IOrderGrain.AnonymizeAsMerchantLeaves()
    {
        if (state.RecordExists && state.State is { Status: OrderStatus.Paid, UserId: not null } paid)
        {
            // Resumed first, as Anonymize does: a payment it finishes may change what there is to give back.
            await ResumePaymentsAsync();
            // P1.6, P4.3, P3.2: anonymized as it was, the paid order stayed paid, nobody could deliver it (no address) nor
            // give its money back (an anonymized order's card payment is not refunded), and the merchant kept the money.
            // No new disclosure for a partner's refund: the partner holds the payment since it took it. Only an order to be
            // delivered (*reviewer*): one without a delivery was handed over at the counter (a till seldom marks those
            // fulfilled), and a customer objecting to a transfer had every such purchase's money back with the goods.
            if (paid is { Status: OrderStatus.Paid, PendingPayments.Count: 0, Delivery: not null }
                && !paid.Payments.Exists(payment => payment.AwaitingPartner))
            {
                await RefundEverythingAsync(paid, staffId: null, disclosesToPartner: false, ClosingRefundCause.MerchantLeft, OrderStatus.Cancelled);
                paid.MoveTo(OrderStatus.Cancelled);
                await WriteOrForgetAsync();
                await UpdateIndexAsync();
            }
        }

        return await ((IOrderGrain)this).Anonymize();
    }

    async Task<bool> IOrderGrain.HandOverToSuccessor(string merchantId, string successorMerchantId)
    {
        if (!state.RecordExists)
        {
            return false;
        }

        if (state.State.HandOver(merchantId, successorMerchantId))
        {
            await WriteOrForgetAsync();
        }

        if (state.State.MerchantId != successorMerchantId)
        {
            return false;
        }

        // Again after an interruption between the two writes: the listing row follows the order.
        await UpdateIndexAsync();
        return true;
    }

    Task<bool> IOrderGrain.HoldsDelivery() => Task.FromResult(state.RecordExists && state.State.Delivery is not null);

    async Task<bool> IOrderGrain.EraseDeliveryAddress()
    {
        var before = state.State.Delivery;
        if (!state.RecordExists || !state.State.EraseDeliveryAddress(clock.GetUtcNow()))
        {
            return false;
        }

        // An address erased before (a step run again) is told of again, and not written again.
        if (state.State.Delivery != before)
        {
            await WriteOrForgetAsync();
        }

        return true;
    }

    async Task<DeliveryAddressErasure> IOrderGrain.EraseDeliveryAddressFor(string requestId)
    {
        if (!state.RecordExists)
        {
            return DeliveryAddressErasure.NoDelivery;
        }

        var order = state.State;
        var now = clock.GetUtcNow();
        var before = (order.Delivery, order.DeliveryAddressOwedTo);
        var erasure = order.EraseDeliveryAddress(now) ? DeliveryAddressErasure.Erased
            : order.OweDeliveryAddressErasure(requestId, now) ? DeliveryAddressErasure.OwedOnceDelivered
            : DeliveryAddressErasure.NoDelivery;
        // An address erased, or owed, before (a step run again) is told of again, and not written again.
        if ((order.Delivery, order.DeliveryAddressOwedTo) != before)
        {
            await WriteOrForgetAsync();
        }

        if (erasure == DeliveryAddressErasure.OwedOnceDelivered)
        {
            // The listing row says when it falls due, for the retention sweep: written again on a retry, should the row
            // have missed it.
            await UpdateIndexAsync();
        }

        return erasure;
    }

    async Task<bool> IOrderGrain.EraseOwedDeliveryAddress()
    {
        if (!state.RecordExists)
        {
            return false;
        }

        var erased = await EraseOwedAddressPastDeliveryAsync();
        // The listing row follows the order either way: its due time gone once erased, moved on should its window have moved
        // (or a payment's word still be awaited).
        await UpdateIndexAsync();
        return erased;
    }

    // P3.1, P4.1: the address a deletion left the order to be delivered goes once the order is past delivery. Its merchant
    // and delivery partner are told first, under ids of the request and the order: a crash before the write tells them
    // nothing new the next time, and erases then. Called by the transitions that end the order's way (cancellation, refund)
    // after their own write, and by the retention sweep for an order whose window, or delivery grace after its fulfilment,
    // ended; a failure here leaves the transition done and the erasure to that sweep, which finds the order by its listing
    // row. Nothing is erased while the order keeps its address (OrderState.DeliveryAddressErasureDueTo): within its window,
    // within the grace after its fulfilment, or with a payment's word awaited.
    private async Task<bool> EraseOwedAddressPastDeliveryAsync()
    {
        var order = state.State;
        var now = clock.GetUtcNow();
        if (order.DeliveryAddressErasureDueTo(now) is not { } requestId)
        {
            return false;
        }

        var before = (order.Delivery, order.DeliveryAddressOwedTo);
        try
        {
            if (order.UserId is { } userId)
            {
                await recipientNotices.NotifyOwedAddressErasedAsync(requestId, userId, order.MerchantId, OrderId);
            }

            order.EraseDeliveryAddress(now);
            await state.WriteStateAsync();
            return true;
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            // Still owed in memory as in storage, so the listing row written next keeps it due for the sweep.
            (order.Delivery, order.DeliveryAddressOwedTo) = before;
            LogOwedAddressLeftToSweep(OrderId, failed.GetType().Name);
            return false;
        }
    }

    async Task<bool> IOrderGrain.CorrectDelivery(DataRights.DeliveryCorrection correction)
    {
        if (!state.RecordExists || !state.State.CorrectDelivery(correction, this.GetPrimaryKeyString(), clock.GetUtcNow()))
        {
            return false;
        }

        await WriteOrForgetAsync();
        return true;
    }

    async Task<RefundView> IOrderGrain.Refund(OrderCaller caller, RefundOrder command)
    {
        var order = OrderFor(caller, OrderParty.Merchant);
        RefuseCashier(caller);
        if (order.FindRefund(command.RefundId) is { } made)
        {
            if (!made.IsSameRequest(command))
            {
                throw DomainException.Conflict("idempotency-key-reused", "This Idempotency-Key was used for another refund; use a new key for a new refund.");
            }

            await FinishRefundAsync(made);
            return order.ToView(OrderId).Refunds!.Single(r => r.RefundId == made.RefundId);
        }

        RefuseCardRefundOfAnonymizedOrder(order);
        var refund = order.PlanRefund(command, caller.StaffId, clock.GetUtcNow());
        // The plan is durable before any money moves: a crash in between finishes it on the next activation.
        await WriteOrForgetAsync();
        await FinishRefundAsync(refund);
        return order.ToView(OrderId).Refunds!.Single(r => r.RefundId == refund.RefundId);
    }

    async Task<OrderView> IOrderGrain.ChangeStatus(OrderCaller caller, OrderStatus target)
    {
        var order = OrderFor(caller, OrderParty.Merchant);
        if (target == OrderStatus.Refunded || (target == OrderStatus.Cancelled && order.CommittedFen(clock.GetUtcNow()) > 0))
        {
            // Giving money back is a manager's decision, not the till's. Committed, not paid: a cancellation also gives
            // back a partner's payment still awaiting its confirmation. One left unconfirmed past its window holds the
            // order no longer: the till cancels it, and its charge goes back to where it came from, if it went through.
            RefuseCashier(caller);
        }

        if (order.Status == target && target is OrderStatus.Cancelled or OrderStatus.Refunded && order.ClosingRefund() is { } stopped && !stopped.IsFinished)
        {
            // The manager's retry of a cancellation or refund whose money stopped part-way (a partner's error): resumed
            // now, rather than left to the order's next activation.
            await FinishRefundAsync(stopped);
            return await AnswerAsync(caller, order);
        }

        var allowed = (order.Status, target) switch
        {
            // P1.6: an order whose money is being given back in full (a cancellation or refund stopped part-way, or its
            // customer gone) is not handed over: the goods and the money both went.
            (OrderStatus.Paid, OrderStatus.Fulfilled) => order.ClosingRefund() is null && order.RefundableFen() > 0,
            (OrderStatus.PendingPayment or OrderStatus.Paid, OrderStatus.Cancelled) => order.PendingPayments.Count == 0,
            (OrderStatus.Paid or OrderStatus.Fulfilled, OrderStatus.Refunded) => true,
            _ => false,
        };
        if (!allowed)
        {
            throw DomainException.Conflict("invalid-transition", $"An order that is {Describe(order.Status)} cannot become {Describe(target)}.");
        }

        if (target == OrderStatus.Fulfilled && order.Delivery is not null && !order.IsOnItsWay(clock.GetUtcNow()))
        {
            // P1.5, P3.1 (*reviewer*): a paid order past its window is no longer on its way: the user's corrections of their
            // delivery skip it, and a deletion of addresses erases its address. Fulfilled now, it handed the delivery partner
            // the address the user had corrected away (or none, marked delivered with the money kept).
            throw DomainException.Conflict("order-expired",
                $"An order to be delivered is fulfilled within {OrderState.PaidDeliveryWindow.TotalDays:0} days of its last payment; cancel or refund it (what was paid goes back) and place it again with the customer's current delivery.");
        }

        if (target == OrderStatus.Fulfilled && order is { Delivery: not null, UserId: { } userId })
        {
            // P1.5, P3.1: the delivery partner receives the delivery details at fulfilment.
            await User(userId).Disclose(new DisclosureRequest(
                IOrderGrain.DeliveryPartner, RecipientKind.DeliveryPartner, DeliveryFields, "delivery", null, LawfulBasis.ContractNecessity, order.Region,
                OrderId: OrderId));
        }

        if (target is OrderStatus.Cancelled or OrderStatus.Refunded)
        {
            await RefundEverythingAsync(order, caller.StaffId, closesAs: target);
        }

        order.MoveTo(target, clock.GetUtcNow(), caller.StaffId ?? TakingsLedger.MerchantKey);
        await WriteOrForgetAsync();
        // P3.1, P4.1 (*reviewer*): a cancellation or refund pays an owed erasure of the address now. A fulfilment does not:
        // it has just handed the address to the delivery partner to deliver to, and its answer to the merchant shows it;
        // the erasure falls due OrderState.FulfilledDeliveryGrace later, on the listing row written next, for the sweep.
        await EraseOwedAddressPastDeliveryAsync();
        await UpdateIndexAsync();
        return await AnswerAsync(caller, order);
    }

    // A cancellation or a whole-order refund gives back all money and stock not yet given back, under one refund id
    // per order, so a retry after a crash plans nothing twice and each movement stays applied once.
    // P1.6: with the status it closes the order in (closesAs), written with the plan: a refund stopped part-way (a
    // partner's error, an account closing meanwhile) left a paid order whose money was going back, for a till to hand
    // over and a late charge to mark paid.
    private async Task RefundEverythingAsync(
        OrderState order, string? staffId, bool disclosesToPartner = true, ClosingRefundCause cause = ClosingRefundCause.MerchantAsked, OrderStatus? closesAs = null)
    {
        RefuseCardRefundOfAnonymizedOrder(order);
        if (order.PlanClosingRefund(ClosingRefundId, staffId, clock.GetUtcNow(), cause) is { } refund)
        {
            // Nothing paid and no stock taken: finished now, and written by the caller with the status it closes the
            // order in (one write, not three, for each unpaid order of a cancelled account).
            if (order.TryFinishInPlace(refund))
            {
                return;
            }

            // Otherwise the plan is durable, with the status it closes the order in, before anything moves, so that a
            // crash resumes it.
            var statusBefore = order.Status;
            if (closesAs is { } closing)
            {
                order.MoveTo(closing);
            }

            await WriteOrForgetAsync();
            if (order.Status != statusBefore)
            {
                // The listing row (reports, analytics, the merchant's lists) says so too, should the money stop part-way.
                await UpdateIndexAsync();
            }

            await FinishRefundAsync(refund, disclosesToPartner);
        }
        else if (order.ClosingRefund() is { } planned)
        {
            await FinishRefundAsync(planned, disclosesToPartner);
        }
    }

    // Scoped by a word, not by the order id as a merchant's Idempotency-Key is (OrdersApi): no key reaches it, since the
    // route only takes `ord_…` ids. Under the order id with the key "closing", a manager's 1-fen refund took this id,
    // and the cancellation after it gave back nothing more.
    private string ClosingRefundId => EntityId.FromIdempotencyKey(EntityId.RefundPrefix, "closing", OrderId);

    // Each part is given back once per refund and payment (the card's operation id, the partner's refund id), and
    // the stock once per refund (the stock grain's operation id): running this again after a crash moves nothing twice.
    // Marked payments were taken outside the platform and are given back there.
    private async Task FinishRefundAsync(OrderState.RefundRecord refund, bool disclosesToPartner = true)
    {
        var order = state.State;
        var statusBefore = order.Status;
        // P4.1, P1.6: the parts no partner moves (the member card's, a marked payment's) go first, the partners' after them
        // (OrderBy is stable: each group keeps its order). Newest payment first, as the refund lists them, a
        // partner's part that failed (the partner down, or the account closing: its gate refuses the disclosure) stopped
        // the card's, which the customer's anonymization then never gave back and their card was settled without.
        var unwritten = false;
        foreach (var part in refund.Parts.Where(p => !p.Done).OrderBy(p => p.Method is PaymentMethod.Wechat or PaymentMethod.Alipay).ToList())
        {
            string? reference = null;
            switch (part.Method)
            {
                case PaymentMethod.MemberCard:
                    reference = $"refund:{refund.RefundId}:{part.PaymentId}";
                    await MemberCard(order).Credit(reference, part.AmountFen);
                    break;
                case PaymentMethod.Wechat or PaymentMethod.Alipay:
                    if (unwritten)
                    {
                        // What has moved already (the card's credit) is written before a partner can stop the refund:
                        // retried for days while the partner refuses, the credit would be asked again each time, and the
                        // card remembers only its latest operations (it would credit twice once it had forgotten this one).
                        await WriteOrForgetAsync();
                        await RecordTakingsAsync();
                        unwritten = false;
                    }

                    var partner = partners.For(part.Method);
                    if (disclosesToPartner)
                    {
                        await DiscloseToPaymentPartnerAsync(order, partner, DisclosureRequest.RefundPurpose);
                    }

                    reference = await partners.RefundAsync(partner, part.PaymentId, refund.PartnerRefundIdOf(part), OrderId, part.AmountFen);
                    break;
            }

            order.CompleteRefundPart(refund, part, reference);
            unwritten = true;
        }

        if (!refund.StockReturned)
        {
            await Task.WhenAll(refund.Lines.Where(line => order.StockedSkus.Contains(line.Sku)).Select(line =>
                Stock(order.MerchantId, line.Sku).Adjust(new StockAdjustment($"refund:{refund.RefundId}", line.Quantity, StockReason.Return, refund.StaffId, OrderId))));
            refund.StockReturned = true;
        }

        await WriteOrForgetAsync();
        await RecordTakingsAsync();
        if (order.Status != statusBefore)
        {
            // Refunded or cancelled: past delivery.
            await EraseOwedAddressPastDeliveryAsync();
            await UpdateIndexAsync();
        }
    }

    // Takes the stock of every tracked line, all or nothing: one grain per product, all asked at once; when one is
    // short, the lines already taken are released (forgotten, so a retry with the same order id takes them anew).
    private static void RefuseCashier(OrderCaller caller)
    {
        if (caller.IsCashier)
        {
            throw DomainException.Forbidden("cashier-may-not-refund", "A cashier does not give money back; a manager or the merchant does.");
        }
    }

    private static void RefuseCardRefundOfAnonymizedOrder(OrderState order)
    {
        if (order.UserId is null && order.Payments.Exists(p => p.Method == PaymentMethod.MemberCard && p.RefundedFen < p.AmountFen))
        {
            throw DomainException.Conflict("order-anonymized", "The order's customer has left; their member card was settled at their cancellation.");
        }
    }

    // resumed: a payment begun earlier, finished now by this grain on its own (its activation, an anonymization, a till's
    // retry), rather than by the request that began it or by its partner's confirmation. firstAttempt: the request that began
    // it, its partner never called yet (neither: the partner's own confirmation of a charge it was sent).
    private async Task ExecutePaymentAsync(OrderState.PaymentRecord payment, bool resumed = false, bool firstAttempt = false)
    {
        var order = state.State;
        string? reference = null;
        var awaitingPartner = false;
        switch (payment.Method)
        {
            case PaymentMethod.MemberCard:
                try
                {
                    await MemberCard(order).Debit(payment.PaymentId, payment.AmountFen);
                }
                catch (DomainException refused) when (refused.Kind != DomainErrorKind.Unavailable)
                {
                    // The card refuses before it moves any money (a short balance, an amount it does not take): nothing
                    // stays begun, or the order could never be cancelled and the amount would stay held. A card that could
                    // not write (Unavailable, *reviewer*) may have drawn the money all the same: the payment stays begun,
                    // finished under its own id, which the card applies once, rather than dropped and made again.
                    order.AbandonPayment(payment.PaymentId);
                    await WriteOrForgetAsync();
                    throw;
                }

                if (payment.MemberCodeScope is { } scope)
                {
                    // P1.6 (*reviewer*): the card has paid, so the code is used up here, wherever the draw was made: spent only
                    // by the request that began the payment, a begun one finished by the till's retry or by the order's
                    // next activation left the code good for its minutes, and a cashier could draw the same amount again
                    // with it. Spent before the payment's record is written: a crash in between finishes the draw (the
                    // card applies it once) and spends the code again, which changes nothing.
                    await SpendMemberCodeAsync(order, scope);
                }

                await TellMemberOfChargeAsync(order, payment);
                break;
            case PaymentMethod.Wechat or PaymentMethod.Alipay:
                // The hand-over was recorded when the payment was begun: a resumed charge records nothing new.
                var partner = partners.For(payment.Method);
                if (resumed)
                {
                    // Outside the try below: a refusal here moved nothing and leaves the charge begun, not abandoned.
                    await RefuseResumedChargeWithoutHandOverAsync(order, partner);
                }

                try
                {
                    if (firstAttempt)
                    {
                        // P3.1, P5.1: the hand-over is asked for as it happens. The gate passed before the payment was begun,
                        // but a withdrawal or a closing taken while the begun payment was written went unasked: the charge went
                        // to the partner all the same. Asked again here, without a second ledger row, as a resumed charge is.
                        // Inside the try: refused, the partner was never called, so nothing moved and nothing stays begun (left
                        // begun, no partner's word would ever finish it, and the order could not be cancelled). A gate that
                        // cannot be asked leaves it begun (503), for the next attempt to ask as a resumed charge.
                        await RefuseResumedChargeWithoutHandOverAsync(order, partner);
                    }

                    reference = await partners.ChargeAsync(partner, payment.PaymentId, OrderId, payment.AmountFen);
                }
                catch (DomainException refused) when (refused.Kind != DomainErrorKind.Unavailable)
                {
                    // The partner refused the charge (or the user's gate refused it first), so no money moved: like a short
                    // member card, nothing stays begun.
                    order.AbandonPayment(payment.PaymentId);
                    await WriteOrForgetAsync();
                    throw;
                }

                awaitingPartner = true;
                break;
        }

        var statusBefore = order.Status;
        order.CompletePayment(payment.PaymentId, reference, awaitingPartner);
        await WriteOrForgetAsync();
        if (!awaitingPartner)
        {
            await RecordTakingsAsync();
        }

        if (order.Status != statusBefore)
        {
            // The listing row carries the status, not the amount paid: a partial payment leaves it as it is.
            await UpdateIndexAsync();
        }

        _moneyFollowUpsWritten = true;
    }

    private async Task DiscloseToPaymentPartnerAsync(OrderState order, IPaymentPartner partner, string purpose)
    {
        if (order.UserId is { } userId)
        {
            // P1.6, P3.1: payment and reconciliation data go to the partner, recorded as a disclosure.
            await User(userId).Disclose(PaymentPartnerDisclosure(partner, purpose));
        }
    }

    // The purpose a charge's hand-over is recorded under, and a resumed charge is asked under again.
    private const string PaymentPurpose = "payment";

    private DisclosureRequest PaymentPartnerDisclosure(IPaymentPartner partner, string purpose) => new(
        partner.Name, RecipientKind.PaymentPartner, PaymentFields, purpose, null, LawfulBasis.ContractNecessity, partner.Region,
        OrderId: OrderId);

    // P3.1, P5.1 (*reviewer*): a charge begun (its partner did not answer in time) and resumed later went to the partner
    // again with no gate asked: after the guardian withdrew or the account began closing, the user's payment was sent to the
    // partner all the same. The hand-over is in the ledger since the charge was begun, so the gate is asked without
    // recording it again (CheckDisclosure), and refuses as Disclose would. Nor is an anonymized order's charge resumed: its
    // customer has gone (no gate to ask), and it takes no payment, so a charge made now would only be given back. Refused,
    // the partner is not called and the charge stays begun (its money may have moved at the first try): the partner's
    // confirmation, if it comes, finishes it, and the order that takes no payment gives it back (ReturnOfPaymentNotTaken).
    // Any failure of the ask is a refusal too, a DomainException the resume logs: the order's activation must not fail on it.
    // A first attempt asks it too, right before its charge is sent (ExecutePaymentAsync), and abandons the payment it refuses.
    private async Task RefuseResumedChargeWithoutHandOverAsync(OrderState order, IPaymentPartner partner)
    {
        if (order.Anonymized)
        {
            throw DomainException.Conflict("order-anonymized", "The order's customer has left; a charge begun for it is not sent to its partner again.");
        }

        if (order.UserId is not { } userId)
        {
            // A walk-in sale: nobody's data goes to the partner.
            return;
        }

        try
        {
            await User(userId).CheckDisclosure(PaymentPartnerDisclosure(partner, PaymentPurpose));
        }
        catch (Exception failed) when (failed is not DomainException and not OperationCanceledException)
        {
            throw DomainException.Unavailable("payment-pending", $"The user's disclosure gate could not be asked ({failed.GetType().Name}); the charge stays begun.");
        }
    }

    private Task UpdateIndexAsync() => index.UpsertAsync(OrderId, state.State);

    // P1.6 (*reviewer*): a change whose write failed stayed in memory, and the caller's retry was answered from it: a
    // partner's confirmation "paid" while storage said pending (its charge left to lapse once the activation went), a
    // keyed cash payment 201 with none stored, a keyless refund's plan written with the retry's and finished twice. Every
    // write of the order goes through here, but the owed-address erasure's, which puts back what it changed itself.
    // The state's own write, made once: every order write would otherwise allocate its delegate anew.
    private Func<Task>? _writeState;

    private Task WriteOrForgetAsync() => WriteOrForgetAsync(_writeState ??= state.WriteStateAsync);

    private Task WriteOrForgetAsync(Func<Task> write)
    {
        // What is written may call for takings rows, and a listing status, not yet written.
        _moneyFollowUpsWritten = false;
        return state.WriteOrForgetAsync(this, write);
    }

    // Every row the stored order's money calls for (TakingsLedger.RecordAsync leaves rows already there as they are).
    private Task RecordTakingsAsync() => takings.RecordAsync(OrderId, state.State);

    // A replay writes the rows its first attempt may have failed to write after the order's, its takings and its listing
    // row (*reviewer*: the listing kept a paid order awaiting payment on the merchant's list): once per activation and
    // state write, not per replay (a till replaying its Idempotency-Key at wire speed).
    private async Task WriteMoneyFollowUpsOnceAsync()
    {
        if (!_moneyFollowUpsWritten)
        {
            await RecordTakingsAsync();
            await UpdateIndexAsync();
            _moneyFollowUpsWritten = true;
        }
    }

    private IUserConsentGate User(string userId) => GrainFactory.GetResolvedGrain<IUserConsentGate>(userId);

    private IUserCredentials Credentials(string userId) => GrainFactory.GetGrain<IUserCredentials>(userId);

    private IDailyAllowanceGrain DailyAllowance(DailyAllowanceKind kind, string party) =>
        GrainFactory.GetGrain<IDailyAllowanceGrain>(IDailyAllowanceGrain.KeyOf(kind, party));

    private IProductStockGrain Stock(string merchantId, string sku) => GrainFactory.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(merchantId, sku));

    private IMemberCardGrain MemberCard(OrderState order) =>
        GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(order.MerchantId, order.UserId
            ?? throw DomainException.Conflict("order-anonymized", "The order no longer belongs to a user.")));

    private static string Describe(OrderStatus status) => status switch
    {
        OrderStatus.PendingPayment => "pending-payment",
        _ => status.ToString().ToLowerInvariant(),
    };

    // For operators: which order's charge went back and how much, naming no one (the order is anonymized, or closed).
    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {Partner} confirmed payment {PaymentId} of order {OrderId}, which takes no payments; its {AmountFen} fen are refunded through the partner")]
    private partial void LogPaymentNotTakenReturned(string orderId, string paymentId, string partner, long amountFen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Begun {Kind} {Id} could not resume ({Reason}); it stays begun and is tried again at the next activation")]
    private partial void LogResumeRefused(string kind, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was answered without its delivery: the hand-over could not be recorded ({Reason})")]
    private partial void LogAnswerNotRecorded(string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The member code of a member-card payment on order {OrderId} was not spent ({Reason}); it stays good until it expires")]
    private partial void LogMemberCodeNotSpent(string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} is past delivery but its owed address erasure failed ({Reason}); the retention sweep erases it")]
    private partial void LogOwedAddressLeftToSweep(string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The member was not told of member-card payment {PaymentId} ({Reason}); the payment stands")]
    private partial void LogChargeNoticeNotSent(string paymentId, string reason);
}
