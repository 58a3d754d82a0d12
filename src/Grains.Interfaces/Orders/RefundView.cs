namespace MeiLing.Grains.Orders;

/// <summary>
/// A refund of an order: what it gave back, of which lines, by whom, and through which payments. <see cref="Reason"/> is
/// null for a refund the merchant made (or its cancellation); <c>order-not-payable</c> for the platform's own refunds, made
/// by no staff member: a partner's charge confirmed when the order took no payments any more (anonymized, cancelled; no
/// lines), and what an order awaiting payment had taken when its customer closed their account (its lines too, when it
/// was cancelled for it).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.refund-view")]
public sealed record RefundView(
    [property: Id(0)] string RefundId,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] IReadOnlyList<OrderItem> Lines,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? StaffId,
    [property: Id(5)] IReadOnlyList<RefundPart> Parts,
    [property: Id(6)] string? Reason = null);

/// <summary>The share of a refund given back through one payment.</summary>
[GenerateSerializer, Immutable, Alias("meiling.refund-part")]
public sealed record RefundPart(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] PaymentMethod Method,
    [property: Id(2)] long AmountFen);
