namespace MeiLing.Grains.Orders;

/// <summary>
/// An order's state: pending-payment → paid (payments reach the total) → fulfilled;
/// pending-payment or paid → cancelled; paid or fulfilled → refunded. Anything else is a conflict.
/// </summary>
[GenerateSerializer, Alias("meiling.order-status")]
public enum OrderStatus
{
    PendingPayment = 0,
    Paid = 1,
    Fulfilled = 2,
    Cancelled = 3,
    Refunded = 4,
}
