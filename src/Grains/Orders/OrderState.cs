using MeiLing.Grains.Consents;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;

namespace MeiLing.Grains.Orders;

/// <summary>Persisted state of an order. Delivery details are the user's personal data (P1.5).</summary>
[HoldsPersonalData]
public sealed class OrderState : IOwnedByUser
{
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

    [NotPersonalData]
    public DateTimeOffset CreatedAt { get; set; }

    [NotPersonalData]
    public bool Anonymized { get; set; }

    // P1.10: the basis the gate gave for placing the order. It says why the order was processed, not who for,
    // so it stays when the order is anonymized.
    [NotPersonalData]
    public ProcessingBasis? Basis { get; set; }

    // Sealed under the user's key while it is theirs; in clear once anonymized, so accounts survive erasure.
    string? IOwnedByUser.OwnerUserId => UserId;

    /// <summary>What confirmed payments add up to: a partner's payment counts once the partner confirmed it.</summary>
    public long PaidFen() => Payments.Where(p => !p.AwaitingPartner).Sum(p => p.AmountFen);

    /// <summary>What is paid, awaiting its partner, or begun: a new payment may only cover the rest.</summary>
    public long CommittedFen() => Payments.Sum(p => p.AmountFen) + PendingPayments.Sum(p => p.AmountFen);

    public void Place(PlaceOrder command, string region, ProcessingBasis basis, IReadOnlyList<OrderLine> lines, DateTimeOffset now)
    {
        MerchantId = command.MerchantId;
        Region = region;
        Basis = basis;
        UserId = command.UserId;
        Lines = [.. lines];
        TotalFen = lines.Sum(line => line.TotalFen);
        Delivery = command.Delivery;
        Status = OrderStatus.PendingPayment;
        CreatedAt = now;
    }

    public bool IsSameOrder(PlaceOrder command) =>
        MerchantId == command.MerchantId
        && UserId == command.UserId
        && Lines.Select(l => (l.Sku, l.Quantity)).SequenceEqual(command.Items.Select(i => (i.Sku, i.Quantity)))
        && Equals(Delivery, command.Delivery);

    public void BeginPayment(PaymentRecord payment) => PendingPayments.Add(payment);

    public void AbandonPayment(string paymentId) => PendingPayments.RemoveAll(p => p.PaymentId == paymentId);

    /// <summary>
    /// Records a begun payment as made: confirmed at once for money the platform moved itself, awaiting the
    /// partner's confirmation for money a partner was asked to take.
    /// </summary>
    public void CompletePayment(string paymentId, string? partnerReference, bool awaitingPartner = false)
    {
        var payment = PendingPayments.Single(p => p.PaymentId == paymentId);
        PendingPayments.Remove(payment);
        payment.PartnerReference = partnerReference;
        payment.AwaitingPartner = awaitingPartner;
        Payments.Add(payment);
        MarkPaidWhenCovered();
    }

    /// <summary>A payment already made (confirmed or awaiting its partner), or null.</summary>
    public PaymentRecord? MadePayment(string paymentId) => Payments.Find(p => p.PaymentId == paymentId);

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

    // A confirmation arriving after the order was cancelled changes the money, not the order's course.
    private void MarkPaidWhenCovered()
    {
        if (Status == OrderStatus.PendingPayment && PaidFen() == TotalFen)
        {
            Status = OrderStatus.Paid;
        }
    }

    public void MoveTo(OrderStatus status) => Status = status;

    /// <summary>A business transfer gives the order to the successor merchant (P3.2); false when it is not the given merchant's.</summary>
    public bool HandOver(string merchantId, string successorMerchantId)
    {
        if (MerchantId != merchantId)
        {
            return false;
        }

        MerchantId = successorMerchantId;
        return true;
    }

    public void RecordRefund(string paymentId, string refundReference) =>
        Payments.Single(p => p.PaymentId == paymentId).RefundReference = refundReference;

    public bool Anonymize()
    {
        if (Anonymized)
        {
            return false;
        }

        UserId = null;
        Delivery = null;
        foreach (var payment in Payments)
        {
            payment.PartnerReference = null;
            payment.RefundReference = null;
        }

        Anonymized = true;
        return true;
    }

    public bool CorrectDelivery(DataRights.DeliveryCorrection correction)
    {
        if (Delivery is null || Status is not (OrderStatus.PendingPayment or OrderStatus.Paid))
        {
            return false;
        }

        Delivery = Delivery with
        {
            RecipientName = correction.RecipientName ?? Delivery.RecipientName,
            Phone = correction.Phone ?? Delivery.Phone,
            Address = correction.Address ?? Delivery.Address,
            DoorNumber = correction.DoorNumber ?? Delivery.DoorNumber,
        };
        return true;
    }

    public OrderView ToView(string orderId) => new(
        orderId, MerchantId, UserId, Status, Lines, TotalFen, PaidFen(), Delivery,
        [.. Payments.Select(p => new PaymentView(
            p.PaymentId, p.Method, p.AmountFen, p.At, p.PartnerReference, p.RefundReference, p.AwaitingPartner ? PaymentStatus.Pending : PaymentStatus.Confirmed))],
        CreatedAt, Anonymized, Basis?.Basis);

    public sealed class PaymentRecord
    {
        public string PaymentId { get; set; } = "";

        public PaymentMethod Method { get; set; }

        public long AmountFen { get; set; }

        public DateTimeOffset At { get; set; }

        public string? PartnerReference { get; set; }

        /// <summary>The partner's reference of the refund, once the payment was given back.</summary>
        public string? RefundReference { get; set; }

        /// <summary>
        /// A partner was asked to charge and has not confirmed yet: not paid. False for everything stored before
        /// partners confirmed, which was counted as paid then.
        /// </summary>
        public bool AwaitingPartner { get; set; }
    }
}
