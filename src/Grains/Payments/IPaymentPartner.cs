using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Payments;

/// <summary>A payment partner outside the platform (WeChat Pay, Alipay, …) that charges the user for an order.</summary>
public interface IPaymentPartner
{
    /// <summary>The party's name in the disclosure ledger (<c>wechat-pay</c>, <c>alipay</c>).</summary>
    string Name { get; }

    PaymentMethod Method { get; }

    /// <summary>The data region the partner processes in (P4.2).</summary>
    string Region { get; }

    /// <summary>
    /// Asks the partner to charge, once per payment id however often it is called; returns the partner's reference.
    /// The money counts as paid only when the partner confirms, later, through the API's
    /// <c>POST /v1/payment-partners/{partner}/confirmations</c>, signed with the partner's own secret.
    /// </summary>
    Task<string> ChargeAsync(string paymentId, string orderId, long amountFen, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back part or all of a charge, once per refund id however often it is called (a charge may be refunded in
    /// several parts, each its own refund id); returns the partner's refund reference.
    /// </summary>
    Task<string> RefundAsync(string paymentId, string refundId, string orderId, long amountFen, CancellationToken cancellationToken = default);
}
