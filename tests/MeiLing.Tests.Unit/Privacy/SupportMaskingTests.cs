using MeiLing.Grains.Orders;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Privacy;

public sealed class SupportMaskingTests
{
    [Fact]
    public void P1_7_a_delivery_shows_support_the_family_name_a_masked_phone_and_the_district_only()
    {
        var masked = new Delivery("李雷", FormOfAddress.Male, "13800138000", "陕西省西安市雁塔区科技路 88 号", "3-2-1201").MaskedForSupport();

        Assert.Equal("李*", masked.RecipientName);
        Assert.Equal("138****8000", masked.Phone);
        Assert.Equal("陕西省西安市***", masked.Address);
        Assert.Equal("***", masked.DoorNumber);
    }

    [Fact]
    public void P1_7_mobile_numbers_inside_a_ticket_are_masked_and_other_digits_are_not()
    {
        var ticket = new TicketView("tkt_1", "usr_1", "回电 13912345678", [new TicketMessage(TicketAuthor.User, "usr_1", "订单 123456789012345，电话 13912345678。", DateTimeOffset.UnixEpoch)], DateTimeOffset.UnixEpoch);

        var masked = ticket.MaskedForSupport();

        Assert.Equal("回电 139****5678", masked.Subject);
        Assert.Equal("订单 123456789012345，电话 139****5678。", masked.Messages[0].Text);
    }

    [Fact]
    public void P1_7_a_profile_shows_support_a_masked_phone()
    {
        var profile = new UserProfile("usr_1", "13800138000", "Li", null, null, "CN", false, DateTimeOffset.UnixEpoch, "v1");

        Assert.Equal("138****8000", profile.MaskedForSupport().Phone);
    }
}
