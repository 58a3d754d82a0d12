using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Orders;

/// <summary>
/// An order as its merchant, its user and support see it, with the lawful basis it was placed on (P1.10;
/// null for an order placed before orders recorded it).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.order-view")]
public sealed record OrderView(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string MerchantId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] OrderStatus Status,
    [property: Id(4)] IReadOnlyList<OrderLine> Lines,
    [property: Id(5)] long TotalFen,
    [property: Id(6)] long PaidFen,
    [property: Id(7)] Delivery? Delivery,
    [property: Id(8)] IReadOnlyList<PaymentView> Payments,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] bool Anonymized,
    [property: Id(11)] LawfulBasis? Basis,
    [property: Id(12)] string? StaffId = null,
    [property: Id(13)] IReadOnlyList<RefundView>? Refunds = null,
    [property: Id(14)] StatusChange? StatusChange = null);

/// <summary>One payment of an order; a partner's is <see cref="PaymentStatus.Pending"/> until the partner confirms it.</summary>
[GenerateSerializer, Immutable, Alias("meiling.payment-view")]
public sealed record PaymentView(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] PaymentMethod Method,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? PartnerReference,
    [property: Id(5)] string? RefundReference = null,
    [property: Id(6)] PaymentStatus Status = PaymentStatus.Confirmed);

/// <summary>Whether a payment counts toward what the order has been paid.</summary>
[GenerateSerializer, Alias("meiling.payment-status")]
public enum PaymentStatus
{
    Confirmed = 0,

    /// <summary>A partner was asked to charge; its confirmation has not arrived yet.</summary>
    Pending = 1,

    /// <summary>
    /// A partner's charge left unconfirmed past its window, which the till moved past (another payment took its place):
    /// it counts for nothing, and should the partner confirm it after all, the money goes back (a refund <c>payment-lapsed</c>).
    /// </summary>
    Lapsed = 2,
}

/// <summary>
/// Who acts on an order; the order grain answers only its own merchant, its own user, and support. A merchant's
/// staff member acts as the merchant, named by <see cref="StaffId"/>; a cashier may not give money back.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.order-caller")]
public sealed record OrderCaller(
    [property: Id(0)] OrderParty Party,
    [property: Id(1)] string Id,
    [property: Id(2)] string? StaffId = null,
    [property: Id(3)] bool IsCashier = false);

[GenerateSerializer, Alias("meiling.order-party")]
public enum OrderParty
{
    User = 0,
    Merchant = 1,
    Support = 2,
}
