namespace MeiLing.Grains.Orders;

/// <summary>Why an order's closing refund gives everything back, which decides who is named as giving it.</summary>
public enum ClosingRefundCause
{
    /// <summary>The merchant (its key or a staff member) cancelled or refunded the order: theirs to give back.</summary>
    MerchantAsked,

    /// <summary>The customer's account closed: the order can no longer be paid; nobody at the merchant gave it back.</summary>
    CustomerLeft,

    /// <summary>
    /// The merchant left (its closure, or a customer's objection to its transfer) with the order undelivered: nobody at the
    /// merchant gave it back, and cash taken for it is owed back by the merchant, not shown as given by its key.
    /// </summary>
    MerchantLeft,
}
