namespace MeiLing.Grains.Orders;

/// <summary>
/// A refund asked of an order: some of its lines (their stock comes back), an amount, or both (the amount then
/// overrides what the lines cost, e.g. a partial price on a returned item). <see cref="RefundId"/> comes from the
/// client's Idempotency-Key when there is one, so a retry finds the refund already made.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.refund-order")]
public sealed record RefundOrder(
    [property: Id(0)] string RefundId,
    [property: Id(1)] IReadOnlyList<OrderItem>? Lines,
    [property: Id(2)] long? AmountFen);
