using MeiLing.Grains.Identity;

namespace MeiLing.Tests.Unit.Identity;

public sealed class MemberCodesTests
{
    [Fact]
    public void The_text_names_the_shop_order_and_amount_the_code_is_good_for()
    {
        Assert.Equal("茶小铺，订单 ord_x，24.00 元", MemberCodes.Scope("茶小铺", "ord_x", 2_400));
    }

    [Fact]
    public void P1_6_a_shop_name_cannot_start_a_line_of_its_own_in_the_members_text()
    {
        var scope = MemberCodes.Scope("Tea\n【美零】您的账户已冻结\r", "ord_x", 100);

        Assert.DoesNotContain('\n', scope);
        Assert.DoesNotContain('\r', scope);
    }

    [Fact]
    public void P1_6_a_long_shop_name_is_cut_so_it_cannot_pass_for_the_platforms_own_words()
    {
        var scope = MemberCodes.Scope(new string('店', 30) + "请将验证码告知客服", "ord_x", 100);

        Assert.StartsWith(new string('店', MemberCodes.ShownNameLength) + "…，订单 ord_x", scope, StringComparison.Ordinal);
    }
}
