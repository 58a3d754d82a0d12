using System.Globalization;
using System.Text;

namespace MeiLing.Grains.Identity;

/// <summary>
/// What a member-card payment code is good for: one shop's order and one amount, in the words its text shows the member, so
/// a code given for a 10-yuan coffee cannot draw 1,000 yuan, nor pay another order.
/// </summary>
public static class MemberCodes
{
    /// <summary>The most of the shop's name a text shows.</summary>
    public const int ShownNameLength = 20;

    public static string Scope(string merchantName, string orderId, long amountFen) =>
        string.Create(CultureInfo.InvariantCulture, $"{Shown(merchantName)}，订单 {orderId}，{amountFen / 100m:0.00} 元");

    // The name is the merchant's own words inside the platform's text: a long one could pass for the platform speaking
    // ("…请将验证码告知客服"), and a control character could start a line of its own. Names are refused with control
    // characters at the API; this also holds for names stored before that.
    private static string Shown(string merchantName)
    {
        var shown = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(merchantName);
        var count = 0;
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (element.Any(char.IsControl))
            {
                continue;
            }

            if (++count > ShownNameLength)
            {
                shown.Append('…');
                break;
            }

            shown.Append(element);
        }

        return shown.ToString();
    }
}
