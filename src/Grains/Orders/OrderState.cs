using System.Text.Json.Serialization;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Orders;

/// <summary>Persisted state of an order. Delivery details are the user's personal data (P1.5).</summary>
[HoldsPersonalData]
public sealed class OrderState : IOwnedByUser
{
    /// <summary>
    /// The most payments (begun ones included) and merchant refunds one order takes. A till splits a bill a few ways and
    /// gives back a few lines; each payment or refund rewrites the order's whole sealed state and re-sends every row of
    /// it to the takings ledger, so without a bound a loop of 1-fen payments or refunds grows both without end.
    /// </summary>
    public const int MaxPayments = 50;

    /// <summary>See <see cref="MaxPayments"/>; a cancellation's or whole-order refund's own refund is not counted.</summary>
    public const int MaxRefunds = 50;

    [NotPersonalData]
    public string MerchantId { get; set; } = "";

    /// <summary>The merchant's data region: where the order is fulfilled and its data stays (P4.2).</summary>
    [NotPersonalData]
    public string Region { get; set; } = "";

    // The account the order belongs to; gone once the order is anonymized (P4.1).
    [PersonalData(DataCategory.NetworkIdentifier)]
    public string? UserId { get; set; }

    [PersonalData(DataCategory.Property, Sensitive = true)]
    public List<OrderLine> Lines { get; set; } = [];

    [PersonalData(DataCategory.Property, Sensitive = true)]
    public long TotalFen { get; set; }

    [PersonalData(DataCategory.Basic)]
    public Delivery? Delivery { get; set; }

    [PersonalData(DataCategory.Property, Sensitive = true)]
    public List<PaymentRecord> Payments { get; set; } = [];

    /// <summary>Payments begun but not yet finished: a crash between drawing money and recording it resumes here.</summary>
    [PersonalData(DataCategory.Property, Sensitive = true)]
    public List<PaymentRecord> PendingPayments { get; set; } = [];

    [NotPersonalData]
    public OrderStatus Status { get; set; }

    /// <summary>The SKUs whose stock the order took (and a cancellation or refund gives back).</summary>
    [NotPersonalData]
    public List<string> StockedSkus { get; set; } = [];

    /// <summary>The merchant's staff member who placed the order; null for the merchant's own key.</summary>
    [NotPersonalData]
    public string? StaffId { get; set; }

    /// <summary>What was given back, by line or amount; a refund with parts not yet done is finished on activation.</summary>
    [PersonalData(DataCategory.Property, Sensitive = true)]
    public List<RefundRecord> Refunds { get; set; } = [];

    [NotPersonalData]
    public DateTimeOffset CreatedAt { get; set; }

    [NotPersonalData]
    public bool Anonymized { get; set; }

    // P1.10: the basis the gate gave for placing the order. It says why the order was processed, not who for,
    // so it stays when the order is anonymized.
    [NotPersonalData]
    public ProcessingBasis? Basis { get; set; }

    /// <summary>
    /// The deletion of addresses (its request) that found the order still on its way and left it its address and door
    /// number, to be delivered: they are owed that erasure once the order no longer is (P3.1, P4.1). Null when nothing is
    /// owed, as in every state stored before it was kept. It names the user's request, not the user: gone with the address,
    /// or with the user at anonymization.
    /// </summary>
    [NotPersonalData]
    public string? DeliveryAddressOwedTo { get; set; }

    // Sealed under the user's key while it is theirs; in clear once anonymized, so accounts survive erasure.
    string? IOwnedByUser.OwnerUserId => UserId;

    /// <summary>
    /// How long a partner's charge counts toward the order unconfirmed. Past it the till may take the rest another way
    /// (or a cashier cancel), and the charge, should its partner confirm it after that, goes back to the customer: a
    /// customer who scanned and never paid, or a partner that never answers, no longer holds the order for good.
    /// </summary>
    public static readonly TimeSpan PartnerConfirmationWindow = TimeSpan.FromMinutes(15);

    /// <summary>How long after its placing an order still unpaid counts as on its way to be delivered (<see cref="IsOnItsWay"/>).</summary>
    public static readonly TimeSpan UnpaidDeliveryWindow = TimeSpan.FromDays(7);

    /// <summary>How long after its last payment a paid order not yet fulfilled counts as on its way to be delivered.</summary>
    public static readonly TimeSpan PaidDeliveryWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// How long after its fulfilment an order keeps the address a deletion of addresses left it to be delivered
    /// (<see cref="DeliveryAddressOwedTo"/>). P3.1, P4.1 (*reviewer*): fulfilment hands the goods and the delivery details
    /// to the delivery partner; it does not deliver them. Erased in that same call, the partner was told to erase the
    /// address it had just been given to deliver to. A week, as long as an unpaid order waits (<see cref="UnpaidDeliveryWindow"/>):
    /// a courier's delivery, a missed one and its second attempt, and a parcel held at a station for collection fit in it.
    /// </summary>
    public static readonly TimeSpan FulfilledDeliveryGrace = TimeSpan.FromDays(7);

    /// <summary>
    /// How long the owed erasure of an order's address waits to be asked again while a payment of the order still awaits
    /// its partner's (or card's) word past the order's window (<see cref="DeliveryAddressErasureDueAt"/>): that word, when
    /// it comes, moves the order on by itself; asked at every hourly sweep, such orders would crowd the sweep's head.
    /// </summary>
    public static readonly TimeSpan AwaitedPaymentRecheck = TimeSpan.FromDays(1);

    /// <summary>
    /// What confirmed payments add up to: a partner's payment counts once the partner confirmed it, and a lapsed one never
    /// (its late confirmation is given back).
    /// </summary>
    public long PaidFen() => Payments.Where(p => !p.AwaitingPartner && !p.Lapsed).Sum(p => p.AmountFen);

    /// <summary>
    /// What is paid, awaiting its partner within <see cref="PartnerConfirmationWindow"/>, or begun: a new payment may
    /// only cover the rest.
    /// </summary>
    public long CommittedFen(DateTimeOffset now) =>
        Payments.Where(p => !p.Lapsed && !p.IsStale(now)).Sum(p => p.AmountFen) + PendingPayments.Sum(p => p.AmountFen);

    /// <summary>
    /// The till moves past every partner's charge left unconfirmed beyond <see cref="PartnerConfirmationWindow"/> as it begins
    /// <paramref name="paymentId"/>, which may cover what they held: written with that payment's beginning, so a confirmation
    /// arriving while it is under way, or after, gives the charge back rather than paying the order twice. A payment
    /// abandoned (<see cref="AbandonPayment"/>) lets its charges count again.
    /// </summary>
    public void LapseStalePartnerPayments(DateTimeOffset now, string paymentId)
    {
        foreach (var payment in Payments.Where(p => !p.Lapsed && p.IsStale(now)))
        {
            payment.LapsedBy = paymentId;
        }
    }

    /// <summary>
    /// P3.1, P4.1, P1.6 (*reviewer*): a partner's charge confirmed once the order's delivery address is gone (a deletion of
    /// addresses erased it when nothing awaited the partner's word any more: its charge was past its confirmation window)
    /// made the order paid, to be delivered, with nowhere to deliver to. Such a charge lapses as it is confirmed: it pays
    /// nothing, and goes back through its partner (<see cref="PlanReturnOfPaymentNotTaken"/>).
    /// </summary>
    public void LapseChargeOfOrderWithoutAddress(PaymentRecord payment)
    {
        if (TakesPayments() && Delivery is { Address: "", DoorNumber: "" } && payment.AwaitingPartner && !payment.Lapsed)
        {
            payment.LapsedBy = PaymentRecord.AddressErased;
        }
    }

    public void Place(PlaceOrder command, string region, ProcessingBasis? basis, OrderQuote quote, DateTimeOffset now)
    {
        MerchantId = command.MerchantId;
        Region = region;
        Basis = basis;
        UserId = command.UserId;
        Lines = [.. quote.Lines];
        StockedSkus = [.. quote.StockedSkus];
        TotalFen = Lines.Sum(line => line.TotalFen);
        Delivery = command.Delivery;
        StaffId = command.StaffId;
        Status = OrderStatus.PendingPayment;
        CreatedAt = now;
    }

    // P1.6 (*reviewer*): the same staff member too. Each key's Idempotency-Keys name orders of its own, but an API host of the
    // previous release keys them by the merchant alone: another till's sale under such an id is 409 order-exists, not the
    // first till's order answered as its own (status paid, goods handed over, its sale never placed).
    public bool IsSameOrder(PlaceOrder command) =>
        MerchantId == command.MerchantId
        && StaffId == command.StaffId
        && UserId == command.UserId
        && Lines.Select(l => (l.Sku, l.Quantity)).SequenceEqual(command.Items.Select(i => (i.Sku, i.Quantity)))
        && Equals(Delivery, command.Delivery);

    /// <summary>409 <c>too-many-payments</c> once the order holds <see cref="MaxPayments"/> payments, made or begun.</summary>
    public void RefusePaymentBeyondLimit()
    {
        if (Payments.Count + PendingPayments.Count >= MaxPayments)
        {
            throw DomainException.Conflict("too-many-payments", $"An order takes at most {MaxPayments} payments; take the rest in one.");
        }
    }

    public void BeginPayment(PaymentRecord payment) => PendingPayments.Add(payment);

    public void AbandonPayment(string paymentId)
    {
        PendingPayments.RemoveAll(p => p.PaymentId == paymentId);
        foreach (var lapsed in Payments.Where(p => p.LapsedBy == paymentId && p.AwaitingPartner))
        {
            lapsed.LapsedBy = null;
        }
    }

    /// <summary>
    /// Records a begun payment as made: confirmed at once for money the platform moved itself, awaiting the
    /// partner's confirmation for money a partner was asked to take.
    /// </summary>
    public void CompletePayment(string paymentId, string? partnerReference, bool awaitingPartner = false)
    {
        var payment = PendingPayments.Single(p => p.PaymentId == paymentId);
        PendingPayments.Remove(payment);
        // Spent as the card paid (OrderGrain): the order's record of a made payment has no use for it.
        payment.MemberCodeScope = null;
        payment.PartnerReference = partnerReference;
        payment.AwaitingPartner = awaitingPartner;
        Payments.Add(payment);
        MarkPaidWhenCovered();
    }

    /// <summary>A payment already made (confirmed or awaiting its partner), or null.</summary>
    public PaymentRecord? MadePayment(string paymentId) => Payments.Find(p => p.PaymentId == paymentId);

    /// <summary>The payment of this id, made or begun; null when there is none (or it was refused and abandoned).</summary>
    public PaymentRecord? FindPayment(string paymentId) => MadePayment(paymentId) ?? PendingPayments.Find(p => p.PaymentId == paymentId);

    /// <summary>
    /// Whether a partner's confirmation names this payment's reference. Orders anonymized before references were kept
    /// lost them: a payment of such an order still awaiting its partner takes the reference the partner signs for (the
    /// payment id and amount must still match), so its charge can be given back rather than refused for good.
    /// </summary>
    public bool IsReferenceOf(PaymentRecord payment, string reference) =>
        payment.PartnerReference == reference || (payment.PartnerReference is null && payment.AwaitingPartner && Anonymized);

    /// <summary>Counts a partner's payment as paid; false when it already was.</summary>
    public bool ConfirmPartnerPayment(PaymentRecord payment)
    {
        if (!payment.AwaitingPartner)
        {
            return false;
        }

        payment.AwaitingPartner = false;
        MarkPaidWhenCovered();
        return true;
    }

    /// <summary>
    /// Whether the order still takes payments: only while it awaits payment and still has its customer. An anonymized
    /// order (P4.1, P4.3, P3.2) has nobody left to sell to or deliver for, whatever its status says.
    /// </summary>
    public bool TakesPayments() => Status == OrderStatus.PendingPayment && !Anonymized && ClosingRefund() is null;

    // A confirmation arriving after the order was cancelled or anonymized changes the money, not the order's course.
    private void MarkPaidWhenCovered()
    {
        if (TakesPayments() && PaidFen() == TotalFen)
        {
            Status = OrderStatus.Paid;
        }
    }

    public void MoveTo(OrderStatus status) => Status = status;

    /// <summary>The last status change a merchant's key asked for, with who; null before any (or before it was kept).</summary>
    /// <remarks>Names the merchant's staff member, not the customer, as <see cref="StaffId"/> does.</remarks>
    [NotPersonalData]
    public StatusChange? LastStatusChange { get; set; }

    /// <summary>A merchant's key moves the order to <paramref name="status"/>: recorded with when and by whom.</summary>
    public void MoveTo(OrderStatus status, DateTimeOffset now, string by)
    {
        MoveTo(status);
        LastStatusChange = new StatusChange(status, now, by);
    }

    /// <summary>
    /// A business transfer gives the order to the successor merchant (P3.2); false when it is not the given merchant's.
    /// The stock its lines took was the transferring merchant's: a later refund gives none back to the successor's
    /// product of the same SKU, which never held it (another product, or none at all). A refund planned before the hand-over
    /// and still unfinished gives none back either, to either merchant: a count to correct by hand, rather than goods
    /// added to a shelf that never held them.
    /// </summary>
    public bool HandOver(string merchantId, string successorMerchantId)
    {
        if (MerchantId != merchantId)
        {
            return false;
        }

        MerchantId = successorMerchantId;
        StockedSkus = [];
        return true;
    }


    /// <summary>What was paid and not yet given back (refunds under way included): the most a new refund may be.</summary>
    public long RefundableFen() => Math.Max(0, PaidFen() - Refunds.Where(r => r.Reason != RefundRecord.PaymentLapsed).Sum(r => r.AmountFen));

    /// <summary>How many of a SKU were bought and not yet refunded.</summary>
    public int RefundableQuantity(string sku) =>
        Lines.Where(l => l.Sku == sku).Sum(l => l.Quantity)
        - Refunds.Sum(r => r.Lines.Where(i => i.Sku == sku).Sum(i => i.Quantity));

    public RefundRecord? FindRefund(string refundId) => Refunds.Find(r => r.RefundId == refundId);

    /// <summary>The refund of a cancellation or whole-order refund, or null: an order has at most one, as either ends it.</summary>
    public RefundRecord? ClosingRefund() => Refunds.Find(r => r.Closing);

    /// <summary>
    /// Records a refund asked by a merchant and shares its amount over the confirmed payments, newest first, each up to
    /// what it has left; the money moves afterwards, part by part. 409 for an order that is not paid, lines beyond
    /// what was bought, or an amount beyond what was paid.
    /// </summary>
    public RefundRecord PlanRefund(RefundOrder command, string? staffId, DateTimeOffset now)
    {
        if (Status is not (OrderStatus.Paid or OrderStatus.Fulfilled))
        {
            throw DomainException.Conflict("order-not-refundable", "Only a paid or fulfilled order is refunded; cancel an order not yet paid.");
        }

        // The closing refund is not counted: a cancellation or whole-order refund always gives back what is left.
        if (Refunds.Count(r => !r.Closing) >= MaxRefunds)
        {
            throw DomainException.Conflict("too-many-refunds", $"An order takes at most {MaxRefunds} refunds; refund the rest of the order as a whole.");
        }

        var lines = Merge(command.Lines ?? []);
        foreach (var line in lines)
        {
            if (!Lines.Exists(l => l.Sku == line.Sku))
            {
                throw DomainException.InvalidField("lines", "unknown-line", $"The order has no line with SKU '{line.Sku}'.");
            }

            if (line.Quantity > RefundableQuantity(line.Sku))
            {
                throw DomainException.Conflict("refund-exceeds-lines", $"Only {RefundableQuantity(line.Sku)} of SKU '{line.Sku}' are left to refund.");
            }
        }

        var amountFen = command.AmountFen ?? lines.Sum(line => UnitPriceOf(line.Sku) * line.Quantity);
        if (amountFen < 1)
        {
            throw DomainException.InvalidField("amountFen", "invalid-amount", "A refund names lines or a positive amount.");
        }

        if (amountFen > RefundableFen())
        {
            throw DomainException.Conflict("refund-exceeds-paid", $"At most {RefundableFen()} fen is left to refund.");
        }

        return AddRefund(command.RefundId, lines, amountFen, staffId, now, command);
    }

    /// <summary>
    /// At cancellation or a whole-order refund: gives back everything paid and not yet given back, and every line not
    /// yet refunded (its stock). Null when it was planned already (a retry). <paramref name="cause"/>: planned as the
    /// customer's account closes, or as the merchant leaves, not by the merchant's own act: nobody at the merchant gave the
    /// money back (no taker), and its reason says which (<see cref="RefundRecord.OrderNotPayable"/>, <see cref="RefundRecord.MerchantLeft"/>).
    /// </summary>
    public RefundRecord? PlanClosingRefund(string refundId, string? staffId, DateTimeOffset now, ClosingRefundCause cause = ClosingRefundCause.MerchantAsked)
    {
        // Known by its flag, not by its id: a merchant's refund is never taken for it.
        if (ClosingRefund() is not null)
        {
            return null;
        }

        var remaining = Merge(Lines.Select(l => new OrderItem(l.Sku, l.Quantity)))
            .Select(item => item with { Quantity = RefundableQuantity(item.Sku) })
            .Where(item => item.Quantity > 0)
            .ToList();
        // A partner's payment still awaiting its confirmation is given back too: the charge may yet go through. Not one the
        // till moved past (lapsed), which never counted: its confirmation, should it come, gives it back by itself.
        var refund = AddRefund(refundId, remaining, Payments.Where(p => !p.Lapsed).Sum(p => p.AmountFen - p.RefundedFen), staffId, now, request: null, includeAwaiting: true);
        refund.Closing = true;
        if (cause != ClosingRefundCause.MerchantAsked)
        {
            // P1.6, P4.1: credited to the merchant's key, a cashier's cash sale marked paid and never taken read as given
            // back by the merchant itself when the colluding customer closed their account: the till short, nobody named.
            // P1.6, P4.3, P3.2 (*reviewer*): likewise a closing merchant's (or a transfer objector's) undelivered order paid
            // in cash: booked as the merchant key's refund, though no cash moved; it is owed back, under its own reason.
            refund.TakenBy = null;
            refund.Reason = cause == ClosingRefundCause.CustomerLeft ? RefundRecord.OrderNotPayable : RefundRecord.MerchantLeft;
        }

        return refund;
    }

    private RefundRecord AddRefund(
        string refundId, List<OrderItem> lines, long amountFen, string? staffId, DateTimeOffset now, RefundOrder? request, bool includeAwaiting = false)
    {
        var refund = new RefundRecord
        {
            RefundId = refundId,
            Lines = lines,
            AmountFen = amountFen,
            At = now,
            StaffId = staffId,
            // Refunds are the merchant's alone (its key or its staff's), so who gave the money back is always known.
            TakenBy = Reports.TakingsLedger.TakenBy(staffId),
            RequestedLines = request?.Lines is { } asked ? [.. asked] : null,
            RequestedAmountFen = request?.AmountFen,
        };
        var left = amountFen;
        foreach (var payment in Payments.Where(p => !p.Lapsed && (includeAwaiting || !p.AwaitingPartner)).Reverse())
        {
            var share = Math.Min(left, payment.AmountFen - payment.RefundedFen);
            if (share <= 0)
            {
                continue;
            }

            payment.RefundedFen += share;
            refund.Parts.Add(new RefundPartRecord { PaymentId = payment.PaymentId, Method = payment.Method, AmountFen = share });
            left -= share;
        }

        Refunds.Add(refund);
        return refund;
    }

    /// <summary>Records one part as given back; a payment given back in full shows the last part's reference.</summary>
    public void CompleteRefundPart(RefundRecord refund, RefundPartRecord part, string? reference)
    {
        part.Reference = reference;
        part.Done = true;
        var payment = Payments.Single(p => p.PaymentId == part.PaymentId);
        if (payment.RefundedFen >= payment.AmountFen && reference is not null)
        {
            payment.RefundReference = reference;
        }

        // A closing refund belongs to a cancellation or refund the merchant asked for: that sets the status.
        if (!refund.Closing && refund.Parts.TrueForAll(p => p.Done) && refund.AmountFen > 0
            && Status is OrderStatus.Paid or OrderStatus.Fulfilled && RefundableFen() == 0 && PaidFen() > 0)
        {
            // Everything paid has been given back: the order is refunded.
            Status = OrderStatus.Refunded;
        }
        else if (refund.Reason is RefundRecord.OrderNotPayable or RefundRecord.PaymentLapsed && refund.Parts.TrueForAll(p => p.Done) && KeepsNoMoneyOfLostCustomer())
        {
            // P4.1, P1.6: the late charge of an order that lost its customer is back with them; it was never paid and can
            // never be now, so it ends cancelled rather than awaiting money in the merchant's lists and reports for good.
            Status = OrderStatus.Cancelled;
        }
    }

    /// <summary>
    /// Whether the order awaits payment that can never come (its customer gone: <see cref="TakesPayments"/> is false for
    /// good) and holds none of their money: every confirmed payment given back in full. A charge still awaiting its
    /// partner is given back when it is confirmed, whatever the status.
    /// </summary>
    private bool KeepsNoMoneyOfLostCustomer() =>
        Status == OrderStatus.PendingPayment && Anonymized
        && Payments.TrueForAll(p => p.AwaitingPartner || p.RefundedFen >= p.AmountFen);

    /// <summary>
    /// P1.6, P4.1: a partner's charge confirmed when the order no longer took payments (<see cref="TakesPayments"/> was
    /// false before the confirmation) goes back whole: what is left of it, never more than was confirmed, in one refund
    /// under <paramref name="refundId"/> (derived from the payment, so a replayed confirmation plans nothing twice); nobody
    /// at the merchant made it. No lines and no stock move, unless it leaves an order awaiting payment that lost its
    /// customer holding none of their money: that order ends cancelled once the money is back, its stock given back. Null when nothing is left to give back, as after a
    /// cancellation, whose refund gave the payment back while it awaited its partner.
    /// </summary>
    public RefundRecord? PlanReturnOfPaymentNotTaken(PaymentRecord payment, string refundId, DateTimeOffset now)
    {
        var left = payment.AmountFen - payment.RefundedFen;
        if (left <= 0 || FindRefund(refundId) is not null)
        {
            return null;
        }

        payment.RefundedFen += left;
        // An order this refund ends (cancelled once the money is back) gives back its stock as a cancellation does.
        var endsTheOrder = KeepsNoMoneyOfLostCustomer();
        var refund = new RefundRecord
        {
            RefundId = refundId,
            Lines = endsTheOrder
                ? [.. Merge(Lines.Select(l => new OrderItem(l.Sku, l.Quantity))).Select(item => item with { Quantity = RefundableQuantity(item.Sku) }).Where(item => item.Quantity > 0)]
                : [],
            AmountFen = left,
            At = now,
            Reason = payment.Lapsed ? RefundRecord.PaymentLapsed : RefundRecord.OrderNotPayable,
            StockReturned = !endsTheOrder,
            Parts = [new RefundPartRecord { PaymentId = payment.PaymentId, Method = payment.Method, AmountFen = left }],
        };
        Refunds.Add(refund);
        return refund;
    }

    /// <summary>
    /// P4.1: as the customer leaves an order still awaiting payment while a partner's charge for it awaits its word: gives
    /// back every payment already taken (a member-card part, a confirmed charge, a marked one), now, under
    /// <paramref name="refundId"/>; nobody at the merchant made it. The charge still awaiting its partner is left to that
    /// word (<see cref="PlanReturnOfPaymentNotTaken"/>), which gives it back and ends the order with its stock. Null when
    /// nothing was taken, or when this was planned already (a retry).
    /// </summary>
    public RefundRecord? PlanReturnOfPaymentsTaken(string refundId, DateTimeOffset now)
    {
        var taken = Payments.Where(p => !p.AwaitingPartner).Sum(p => p.AmountFen - p.RefundedFen);
        if (taken <= 0 || FindRefund(refundId) is not null)
        {
            return null;
        }

        var refund = AddRefund(refundId, [], taken, staffId: null, now, request: null);
        refund.Reason = RefundRecord.OrderNotPayable;
        // Not the merchant's refund: the takings ledger shows it without a taker, as a late charge's return is.
        refund.TakenBy = null;
        refund.StockReturned = true;
        return refund;
    }

    /// <summary>
    /// Finishes at once a refund that moves nothing held outside the order (no money on a card, with a partner or in the
    /// till; no stock on a shelf): it needs no durable plan before it runs, for there is nothing a crash could leave
    /// half-moved. False when it has something to move, and must be planned, written, then finished.
    /// </summary>
    public bool TryFinishInPlace(RefundRecord refund)
    {
        if (refund.Parts.Count > 0 || refund.Lines.Exists(line => StockedSkus.Contains(line.Sku)))
        {
            return false;
        }

        refund.StockReturned = true;
        return true;
    }

    /// <summary>Refunds whose money or stock has not all moved yet (a crash in between resumes them).</summary>
    public IEnumerable<RefundRecord> UnfinishedRefunds() => Refunds.Where(r => !r.IsFinished);

    private long UnitPriceOf(string sku) => Lines.First(l => l.Sku == sku).UnitPriceFen;

    private static List<OrderItem> Merge(IEnumerable<OrderItem> items) =>
        [.. items.GroupBy(i => i.Sku, StringComparer.Ordinal).Select(g => new OrderItem(g.Key, g.Sum(i => i.Quantity)))];

    public bool Anonymize()
    {
        if (Anonymized)
        {
            return false;
        }

        // The partners' references and the amounts stay: they name a charge or a refund, not the person, and a charge
        // still awaiting its partner is confirmed (and given back) by them after the customer has gone (P1.6).
        UserId = null;
        Delivery = null;
        // Nothing left to erase, and the request would lead back to the person.
        DeliveryAddressOwedTo = null;
        Anonymized = true;
        return true;
    }

    /// <summary>
    /// A deletion of the user's addresses (P3.1, P4.1): an order past delivery (fulfilled, cancelled, refunded) keeps its
    /// delivery without the address and door number; one still to be delivered keeps them, to be delivered, until it is
    /// past delivery and this pays what it owes (<see cref="OweDeliveryAddressErasure"/>). True when the order's address
    /// is gone, now or before (a retry), so the recipients told of it are told of this order.
    /// </summary>
    public bool EraseDeliveryAddress(DateTimeOffset now)
    {
        if (Delivery is null || KeepsAddress(now))
        {
            return false;
        }

        Delivery = Delivery with { Address = "", DoorNumber = "" };
        DeliveryAddressOwedTo = null;
        return true;
    }

    /// <summary>
    /// P3.1, P4.1: the deletion of addresses <paramref name="requestId"/> found the order still to be delivered, so its
    /// address and door number stay to be delivered, and are owed that erasure once it is past delivery
    /// (<see cref="DeliveryAddressErasureDueTo"/>). A later deletion finds it owed to the first, and (*reviewer*) erases
    /// nothing before that first erasure falls due. False for an order without a delivery, or one past delivery
    /// (<see cref="EraseDeliveryAddress"/> erases that one at once).
    /// </summary>
    public bool OweDeliveryAddressErasure(string requestId, DateTimeOffset now)
    {
        if (Delivery is null || !KeepsAddress(now))
        {
            return false;
        }

        DeliveryAddressOwedTo ??= requestId;
        return true;
    }

    /// <summary>The request the order owes the erasure of its address, once it is past delivery; null otherwise.</summary>
    public string? DeliveryAddressErasureDueTo(DateTimeOffset now) => KeepsAddress(now) ? null : DeliveryAddressOwedTo;

    /// <summary>
    /// When the owed erasure of the address falls due as the order stands, by which the retention sweep finds an order
    /// with nothing else to say it is past delivery: its window's end; <see cref="FulfilledDeliveryGrace"/> after its
    /// fulfilment; a day on, again and again, while a payment's word is awaited past its window (<see cref="AwaitedPaymentRecheck"/>);
    /// or its placing for an order past delivery. Null when nothing is owed.
    /// </summary>
    public DateTimeOffset? DeliveryAddressErasureDueAt(DateTimeOffset now)
    {
        if (DeliveryAddressOwedTo is null)
        {
            return null;
        }

        var keptUntil = AddressKeptUntil() ?? CreatedAt;
        return keptUntil <= now && AwaitsPaymentWord(now) ? now + AwaitedPaymentRecheck : keptUntil;
    }

    /// <summary>
    /// Whether the order's delivery is still needed to deliver it: on its way, awaiting a payment's word that would put it on
    /// its way, or within <see cref="FulfilledDeliveryGrace"/> of its fulfilment (a parcel gone astray, a courier's call).
    /// Past that, a till has no need of the recipient's name, phone and address (P4.4, least privilege).
    /// </summary>
    public bool DeliveryStillNeeded(DateTimeOffset now) =>
        Delivery is not null
        && (IsOnItsWay(now) || AwaitsPaymentWord(now)
            || (Status == OrderStatus.Fulfilled && LastStatusChange is { Status: OrderStatus.Fulfilled } fulfilment && now < fulfilment.At + FulfilledDeliveryGrace));

    // Whether a deletion of addresses leaves the order its address (owed, rather than erased), and whether one left owed
    // stays unpaid: while the order is on its way or within the grace after its fulfilment (AddressKeptUntil), or while a
    // payment's word may still make it paid, and so on its way.
    private bool KeepsAddress(DateTimeOffset now) => (AddressKeptUntil() is { } until && now < until) || AwaitsPaymentWord(now);

    // Until when the order keeps its address: on its way, its window's end; fulfilled and owing an erasure,
    // FulfilledDeliveryGrace after its fulfilment (its last status change, for only a fulfilment makes an order Fulfilled).
    // Null past delivery: cancelled, refunded, or fulfilled owing nothing (a deletion after its fulfilment erases at once, as
    // it always did) or with no status change kept (fulfilled before they were).
    private DateTimeOffset? AddressKeptUntil() => Status == OrderStatus.Fulfilled
        ? DeliveryAddressOwedTo is not null && LastStatusChange is { Status: OrderStatus.Fulfilled } fulfilment ? fulfilment.At + FulfilledDeliveryGrace : null
        : OnItsWayUntil();

    // P3.1, P4.1 (*reviewer*): an order awaiting payment whose partner's charge (or a payment begun, its card or partner not
    // yet answering) still awaits its word is made paid, and on its way, by that word whenever it comes, window or not: the
    // sweep erased such an order's address at its window's end, and the confirmation after made it paid with none to deliver
    // to. A charge the till moved past (lapsed) pays nothing when confirmed, and holds nothing.
    // Only while that word can still come in time (*reviewer*): a charge past its partner's confirmation window, or a payment
    // begun a day ago whose card or partner never answered, held the address for good, the order looked at again daily.
    private bool AwaitsPaymentWord(DateTimeOffset now) =>
        TakesPayments() && (PendingPayments.Exists(begun => now - begun.At < BegunPaymentHeld)
            || Payments.Exists(payment => payment.AwaitingPartner && !payment.Lapsed && !payment.IsStale(now)));

    // How long a payment begun, its card or partner not answering, holds an owed address: far past any answer's time.
    private static readonly TimeSpan BegunPaymentHeld = TimeSpan.FromDays(1);

    /// <summary>
    /// A user's correction of their delivery details (P1.5, P3.1), written into the orders still on their way that the user
    /// awaits: paid for in their own session, or named by the correction. P1.5: an order a merchant placed in a former
    /// customer's name and left unpaid (or paid with its own cash) stayed "to be delivered" for good, and received the
    /// customer's new address whenever they moved; an order counts as on its way only for so long after its placing, and
    /// (*reviewer*) one placed again every few days takes no correction the user did not point at it.
    /// </summary>
    public bool CorrectDelivery(DataRights.DeliveryCorrection correction, string orderId, DateTimeOffset now)
    {
        if (Delivery is null || !IsOnItsWay(now) || !(PaidForByTheCustomer() || correction.Names(orderId)))
        {
            return false;
        }

        Delivery = Delivery with
        {
            RecipientName = correction.RecipientName ?? Delivery.RecipientName,
            Gender = correction.Gender ?? Delivery.Gender,
            Phone = correction.Phone ?? Delivery.Phone,
            Address = correction.Address ?? Delivery.Address,
            DoorNumber = correction.DoorNumber ?? Delivery.DoorNumber,
        };
        return true;
    }

    /// <summary>
    /// Whether the customer paid toward it in their own session (a payment made, not one taken at the merchant's till):
    /// something a merchant's key cannot do in their name. A till's payment begun before the till was recorded
    /// (<see cref="PaymentRecord.TakenBy"/> null) counts too; such orders have long left their delivery window.
    /// </summary>
    public bool PaidForByTheCustomer() => Payments.Any(p => p.TakenBy is null && !p.AwaitingPartner && !p.Lapsed);

    /// <summary>
    /// Whether the order is still to be delivered: unpaid within <see cref="UnpaidDeliveryWindow"/> of its placing, or paid
    /// and not fulfilled within <see cref="PaidDeliveryWindow"/> of the payment that paid it last (a long-lead order paid
    /// late is given its whole window). Such an order keeps its address at an erasure (to be
    /// delivered) and takes a correction; one older is stale, neither kept nor readdressed.
    /// </summary>
    public bool IsOnItsWay(DateTimeOffset now) => OnItsWayUntil() is { } until && now < until;

    // The end of the window the order's status gives it; null for an order past delivery.
    private DateTimeOffset? OnItsWayUntil() => Status switch
    {
        OrderStatus.PendingPayment => CreatedAt + UnpaidDeliveryWindow,
        OrderStatus.Paid => Payments.Where(p => !p.AwaitingPartner && !p.Lapsed).Select(p => p.At).DefaultIfEmpty(CreatedAt).Max() + PaidDeliveryWindow,
        _ => null,
    };

    public OrderView ToView(string orderId) => new(
        orderId, MerchantId, UserId, Status, Lines, TotalFen, PaidFen(), Delivery,
        [.. Payments.Select(p => new PaymentView(
            p.PaymentId, p.Method, p.AmountFen, p.At, p.PartnerReference, p.RefundReference, StatusOf(p)))],
        CreatedAt, Anonymized, Basis?.Basis, StaffId,
        [.. Refunds.Where(r => r.AmountFen > 0).Select(r => new RefundView(
            r.RefundId, r.AmountFen, r.Lines, r.At, r.StaffId, [.. r.Parts.Select(p => new RefundPart(p.PaymentId, p.Method, p.AmountFen))], r.Reason))],
        LastStatusChange);

    private static PaymentStatus StatusOf(PaymentRecord payment) =>
        payment.Lapsed ? PaymentStatus.Lapsed : payment.AwaitingPartner ? PaymentStatus.Pending : PaymentStatus.Confirmed;

    public sealed class PaymentRecord
    {
        public string PaymentId { get; set; } = "";

        public PaymentMethod Method { get; set; }

        public long AmountFen { get; set; }

        public DateTimeOffset At { get; set; }

        public string? PartnerReference { get; set; }

        /// <summary>
        /// Who at the merchant's till took the payment (a staff id, or the merchant's own key), for the takings ledger;
        /// null for a payment the customer made, and for payments begun before it was recorded.
        /// </summary>
        public string? TakenBy { get; set; }

        /// <summary>The partner's reference of the refund, once the payment was given back.</summary>
        public string? RefundReference { get; set; }

        /// <summary>
        /// P1.6 (*reviewer*): while a member-card payment is begun, the scope of the member code it was allowed with, so that
        /// whoever finishes it (the request, the till's retry, the order's next activation) spends the code once the card
        /// has paid. Null for payments that needed no code, once made, and for those begun before it was kept (their code
        /// lapses in its minutes, as before).
        /// </summary>
        public string? MemberCodeScope { get; set; }

        /// <summary>
        /// A partner was asked to charge and has not confirmed yet: not paid. False for everything stored before
        /// partners confirmed, which was counted as paid then.
        /// </summary>
        public bool AwaitingPartner { get; set; }

        /// <summary>How much of this payment refunds have given back (or are giving back).</summary>
        public long RefundedFen { get; set; }

        /// <summary>
        /// The payment the till began in this charge's place after it went unconfirmed for <see cref="PartnerConfirmationWindow"/>,
        /// or <see cref="AddressErased"/>; null while it counts.
        /// </summary>
        public string? LapsedBy { get; set; }

        /// <summary>
        /// <see cref="LapsedBy"/> of a charge confirmed after the order's delivery address was erased: never a payment's id,
        /// so no payment abandoned lets it count again.
        /// </summary>
        public const string AddressErased = "delivery-address-erased";

        /// <summary>Whether the charge no longer counts toward the order: its confirmation, should it come, is given back.</summary>
        [JsonIgnore]
        public bool Lapsed => LapsedBy is not null;

        public bool IsStale(DateTimeOffset now) => AwaitingPartner && now - At > PartnerConfirmationWindow;
    }

    public sealed class RefundRecord
    {
        /// <summary><see cref="Reason"/> of the platform's own refund of a charge confirmed when the order took no payments.</summary>
        public const string OrderNotPayable = "order-not-payable";

        /// <summary>
        /// <see cref="Reason"/> of the closing refund of an undelivered paid order as its merchant leaves (its closure, or a
        /// customer's objection to its transfer): given back by nobody at the merchant; cash in it is owed back by the merchant.
        /// </summary>
        public const string MerchantLeft = "merchant-left";

        /// <summary><see cref="Reason"/> of the platform's own refund of a charge confirmed after the till moved past it (<see cref="PaymentRecord.Lapsed"/>).</summary>
        public const string PaymentLapsed = "payment-lapsed";

        public string RefundId { get; set; } = "";

        /// <summary>Why the platform gave the money back by itself (<see cref="OrderNotPayable"/>); null for a refund the merchant made.</summary>
        public string? Reason { get; set; }

        /// <summary>The lines refunded (their stock comes back); empty for a refund of an amount only.</summary>
        public List<OrderItem> Lines { get; set; } = [];

        public long AmountFen { get; set; }

        public DateTimeOffset At { get; set; }

        public string? StaffId { get; set; }

        /// <summary>
        /// <see cref="StaffId"/> as the takings ledger names it (the merchant's own key included); null for refunds planned
        /// before it was recorded, whose null <see cref="StaffId"/> could not tell the merchant's key from an unknown one.
        /// </summary>
        public string? TakenBy { get; set; }

        public List<RefundPartRecord> Parts { get; set; } = [];

        public bool StockReturned { get; set; }

        /// <summary>Its money and its stock all moved.</summary>
        public bool IsFinished => StockReturned && Parts.TrueForAll(p => p.Done);

        /// <summary>Made by a cancellation or a whole-order refund, which set the order's status themselves.</summary>
        public bool Closing { get; set; }

        /// <summary>The request as the merchant sent it, so the same Idempotency-Key with another body is told apart.</summary>
        public List<OrderItem>? RequestedLines { get; set; }

        public long? RequestedAmountFen { get; set; }

        /// <summary>
        /// The refund id a partner is asked to give <paramref name="part"/> back under. A partner gives back once per refund id
        /// (WeChat Pay's out_refund_no): a refund over two charges of one partner, asked under one id twice, gave back only its
        /// first part while both were recorded as given back. The refund's first partner part keeps the refund's own id, as
        /// every single-part refund always had; each later one an id derived from the refund and its payment. Worked out from
        /// the parts each time, nothing stored: a part recorded before this, or rewritten by an older silo, is asked the same.
        /// </summary>
        public string PartnerRefundIdOf(RefundPartRecord part) =>
            Parts.Find(p => p.Method is PaymentMethod.Wechat or PaymentMethod.Alipay) == part
                ? RefundId
                : EntityId.FromIdempotencyKey(EntityId.RefundPrefix, RefundId, part.PaymentId);

        public bool IsSameRequest(RefundOrder command) =>
            RequestedAmountFen == command.AmountFen
            && (RequestedLines ?? []).SequenceEqual(command.Lines ?? []);
    }

    public sealed class RefundPartRecord
    {
        public string PaymentId { get; set; } = "";

        public PaymentMethod Method { get; set; }

        public long AmountFen { get; set; }

        /// <summary>The partner's or card's reference of this part, once given back.</summary>
        public string? Reference { get; set; }

        public bool Done { get; set; }
    }
}
