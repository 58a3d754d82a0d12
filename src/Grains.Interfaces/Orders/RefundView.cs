namespace MeiLing.Grains.Orders;

/// <summary>A refund of an order: what it gave back, of which lines, by whom, and through which payments.</summary>
[GenerateSerializer, Immutable, Alias("meiling.refund-view")]
public sealed record RefundView(
    [property: Id(0)] string RefundId,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] IReadOnlyList<OrderItem> Lines,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? StaffId,
    [property: Id(5)] IReadOnlyList<RefundPart> Parts);

/// <summary>The share of a refund given back through one payment.</summary>
[GenerateSerializer, Immutable, Alias("meiling.refund-part")]
public sealed record RefundPart(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] PaymentMethod Method,
    [property: Id(2)] long AmountFen);
