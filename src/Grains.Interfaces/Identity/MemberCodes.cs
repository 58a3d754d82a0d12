using System.Globalization;

namespace MeiLing.Grains.Identity;

/// <summary>
/// What a member-card payment code is good for: one shop's order and one amount, in the words its text shows the member, so
/// a code given for a 10-yuan coffee cannot draw 1,000 yuan, nor pay another order.
/// </summary>
public static class MemberCodes
{
    public static string Scope(string merchantName, string orderId, long amountFen) =>
        string.Create(CultureInfo.InvariantCulture, $"{merchantName}，订单 {orderId}，{amountFen / 100m:0.00} 元");
}
