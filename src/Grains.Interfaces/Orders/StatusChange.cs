namespace MeiLing.Grains.Orders;

/// <summary>
/// The last status change a merchant's key asked of an order (fulfilled, cancelled, refunded): when, and by whom — the
/// staff member's id, or <c>merchant</c> for the merchant's own key. A fulfilment hands goods over and a cancellation
/// ends a sale, so the one who did it is named, as refunds and payments name theirs.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.status-change")]
public sealed record StatusChange(
    [property: Id(0)] OrderStatus Status,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string By);
