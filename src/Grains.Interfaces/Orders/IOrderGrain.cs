namespace MeiLing.Grains.Orders;

/// <summary>One order, keyed by order id (<c>ord_…</c>), with its payments and its state machine.</summary>
[Alias("meiling.order")]
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>
    /// The most one order may total, in fen (10,000,000 yuan): far above any till's sale, and low enough that a day's takings
    /// summed in a report stay within a 64-bit integer at any rate the API admits (100 lines of 999 at the highest price came
    /// to 10^13 fen an order, and a million such sales made a day's report fail for good).
    /// </summary>
    public const long MaxTotalFen = 1_000_000_000;

    /// <summary>The delivery partner a fulfilled order's delivery is handed to (a ledger row names it so, P3.1).</summary>
    public const string DeliveryPartner = "meiling-delivery";

    /// <summary>
    /// Places the order: prices it from the catalogue, checks the user may be processed for it, and lists it.
    /// Placing the same order again (a retry) returns it; a different one under this id is a conflict. 400
    /// <c>order-too-large</c> past <see cref="MaxTotalFen"/>.
    /// </summary>
    [Alias("place")]
    Task<OrderView> Place(PlaceOrder command);

    /// <summary>
    /// The order as <paramref name="caller"/> may see it, or null when it does not exist or is not theirs
    /// (its merchant, its user, or support). A merchant's read is recorded as a disclosure to it (P3.1); the user grain records the same hand-over once a day.
    /// </summary>
    [Alias("read")]
    Task<OrderView?> Read(OrderCaller caller);

    /// <summary>
    /// The order as its user's access bundle shows it: the view with every tagged personal field of the
    /// order's state; null when the order is not that user's.
    /// </summary>
    [Alias("export-personal-data")]
    [ReadOnly]
    Task<string?> ExportPersonalData(string userId);

    /// <summary>
    /// Whether the order holds delivery details (not anonymized): whether its merchant received any, so a correction or
    /// deletion of them is for that merchant (P3.1). Added beside the others for a rolling upgrade; no personal data.
    /// </summary>
    [Alias("holds-delivery")]
    [ReadOnly]
    Task<bool> HoldsDelivery();

    /// <summary>
    /// Pays part or all of what is outstanding (its merchant or its user); 409 beyond it, or when a member card
    /// is short. <c>marked</c> (cash) is the merchant's alone: a user gets 403. A partner payment is pending until
    /// the partner confirms it (<see cref="ConfirmPartnerPayment"/>) and counts toward paid only then.
    /// </summary>
    [Alias("pay")]
    Task<OrderView> Pay(OrderCaller caller, PaymentMethod method, long amountFen);

    /// <summary>
    /// As <see cref="Pay"/>, with the member's code when a staff member's key draws on the member card
    /// (<see cref="OrderPayment.MemberCode"/>): without it 403 <c>member-code-required</c>, a wrong one 400.
    /// </summary>
    [Alias("pay-with")]
    Task<OrderView> PayWith(OrderPayment payment);

    /// <summary>
    /// Texts the order's user a code that lets the merchant's staff draw <paramref name="amountFen"/> on their member card
    /// for this order, naming the order and amount (P1.6). The merchant's parties only; 409 when the order takes no such payment.
    /// </summary>
    [Alias("ask-member-code")]
    Task AskMemberCode(OrderCaller caller, long amountFen);

    /// <summary>
    /// Records a partner's confirmation of one of its pending payments; the order is paid once confirmed payments
    /// reach its total. Idempotent. 404 for a payment this partner did not take; 409 when reference or amount differ.
    /// A confirmation for an order that no longer takes payments (anonymized, cancelled) is recorded too, and what is
    /// left of the charge is given back through the partner: one refund per payment (reason <c>order-not-payable</c>),
    /// however often the confirmation arrives (P1.6, P4.1).
    /// </summary>
    [Alias("confirm-partner-payment")]
    Task<OrderView> ConfirmPartnerPayment(Payments.PartnerPaymentConfirmation confirmation);

    /// <summary>
    /// Cuts the order from its user (P4.1): the user id and the delivery details go; lines, totals, payments and
    /// refunds stay for accounting, with the partners' references, which name a charge and not a person (a charge still
    /// awaiting its partner is confirmed and given back under them). From then on the order takes no payment. Idempotent.
    /// </summary>
    [Alias("anonymize")]
    Task<bool> Anonymize();

    /// <summary>
    /// As <see cref="Anonymize"/>, as its merchant leaves the customer for good (its closure, or the customer's objection
    /// to its transfer): an order paid and not yet fulfilled will never be delivered, so it is first cancelled with every
    /// payment given back the way it came (a card's onto the card, whose settlement follows; a partner's through the
    /// partner; marked cash the merchant's to give back), as a manager's cancellation gives them back (P1.6, P3.2, P4.3).
    /// </summary>
    [Alias("anonymize-as-merchant-leaves")]
    Task<bool> AnonymizeAsMerchantLeaves();

    /// <summary>
    /// Erases the address and door number of the order's delivery once it is past delivery (a deletion of the user's
    /// addresses); true when its address is gone, now or before, false for an order still to be delivered or without one.
    /// Kept for a silo of the previous release: a request now calls <see cref="EraseDeliveryAddressFor"/>.
    /// </summary>
    [Alias("erase-delivery-address")]
    Task<bool> EraseDeliveryAddress();

    /// <summary>
    /// As <see cref="EraseDeliveryAddress"/>, for the deletion of addresses <paramref name="requestId"/>: an order still to
    /// be delivered keeps its address to be delivered and owes the request its erasure, paid once the order is past
    /// delivery: at once when it is cancelled or refunded; a delivery grace after its fulfilment (a week: fulfilment hands it
    /// to the delivery partner to deliver), or once its window ended, by the retention sweep
    /// (<see cref="EraseOwedDeliveryAddress"/>); never while a payment of it awaits its partner's word. Its merchant and
    /// delivery partner are told then (P3.1, P4.1).
    /// </summary>
    [Alias("erase-delivery-address-for")]
    Task<DeliveryAddressErasure> EraseDeliveryAddressFor(string requestId);

    /// <summary>
    /// Erases the address a deletion left the order to be delivered, once the order is past delivery, and tells its merchant
    /// and delivery partner (the retention sweep's call, for an order whose window, or delivery grace after its fulfilment,
    /// ended); true when it erased it now.
    /// </summary>
    [Alias("erase-owed-delivery-address")]
    Task<bool> EraseOwedDeliveryAddress();

    /// <summary>Corrects the delivery details of an order not yet fulfilled; false when there is nothing to correct.</summary>
    [Alias("correct-delivery")]
    Task<bool> CorrectDelivery(DataRights.DeliveryCorrection correction);

    /// <summary>
    /// Hands the order from <paramref name="merchantId"/> to its successor in a business transfer (P3.2): the successor
    /// reads and fulfils it from then on, the old merchant no longer finds it. Idempotent; false when the order is
    /// with neither.
    /// </summary>
    [Alias("hand-over-to-successor")]
    Task<bool> HandOverToSuccessor(string merchantId, string successorMerchantId);

    /// <summary>
    /// Gives back some lines or an amount of what was paid (its merchant; a cashier gets 403), through the methods
    /// that paid, and returns the refunded lines' stock. Up to what was paid (409 beyond); the same refund id again
    /// returns the refund made, another request under it is 409. A fully refunded order becomes refunded.
    /// </summary>
    [Alias("refund")]
    Task<RefundView> Refund(OrderCaller caller, RefundOrder command);

    /// <summary>Moves the order to fulfilled, cancelled or refunded (its merchant); 409 for a transition its state forbids.</summary>
    [Alias("change-status")]
    Task<OrderView> ChangeStatus(OrderCaller caller, OrderStatus target);
}
