namespace MeiLing.Grains.Orders;

/// <summary>How an order is paid (P1.6).</summary>
[GenerateSerializer, Alias("meiling.payment-method")]
public enum PaymentMethod
{
    /// <summary>Drawn from the user's stored-value card at the merchant.</summary>
    MemberCard = 0,

    /// <summary>Marked as paid by the merchant (标记收款), e.g. cash.</summary>
    Marked = 1,

    Wechat = 2,
    Alipay = 3,
}
