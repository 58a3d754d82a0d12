using MeiLing.Grains.Activity;
using MeiLing.Grains.Notifications;
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
        Assert.Equal("*******8000", masked.Phone);
        Assert.Equal("陕西省西安市***", masked.Address);
        Assert.Equal("***", masked.DoorNumber);
    }

    [Fact]
    public void P1_7_P1_8_an_imported_address_shows_support_where_it_came_from_with_any_mobile_number_in_it_masked()
    {
        var provenance = new Provenance("partner-book 13812345678", "signed by 13912345678 on the phone", DateTimeOffset.UnixEpoch, "rcp_1");

        var masked = new SavedAddress("李雷", "13800138000", "陕西省西安市雁塔区科技路 88 号", "3-2-1201", provenance).MaskedForSupport();

        Assert.Equal("partner-book *******5678", masked.Provenance!.Source);
        Assert.Equal("signed by *******5678 on the phone", masked.Provenance.Authorization);
        Assert.Equal(provenance.ReceivedAt, masked.Provenance.ReceivedAt);
        Assert.Equal("rcp_1", masked.Provenance.ConsentReceiptId);
    }

    [Fact]
    public void P1_7_a_name_or_address_starting_with_a_character_outside_the_basic_plane_is_masked_whole_characters()
    {
        var masked = new Delivery("\U00020000雷", FormOfAddress.Male, "13800138000", "陕西省西安市\U0001F3E0雁塔区科技路", "1").MaskedForSupport();
        var emoji = new Delivery("\U0001F600Lee", FormOfAddress.Male, "13800138000", "陕西省西安\U0001F3E0雁塔区科技路", "1").MaskedForSupport();

        Assert.Equal("\U00020000*", masked.RecipientName);
        Assert.Equal("陕西省西安市***", masked.Address);
        Assert.Equal("\U0001F600***", emoji.RecipientName);
        Assert.Equal("陕西省西安\U0001F3E0***", emoji.Address);
        Assert.DoesNotContain('\uFFFD', masked.RecipientName + masked.Address + emoji.RecipientName + emoji.Address);
    }

    [Fact]
    public void P1_7_mobile_numbers_inside_a_ticket_are_masked_and_other_digits_are_not()
    {
        var ticket = new TicketView("tkt_1", "usr_1", "回电 13912345678", [new TicketMessage(TicketAuthor.User, "usr_1", "订单 123456789012345，电话 13912345678。", DateTimeOffset.UnixEpoch)], DateTimeOffset.UnixEpoch);

        var masked = ticket.MaskedForSupport();

        Assert.Equal("回电 *******5678", masked.Subject);
        Assert.Equal("订单 123456789012345，电话 *******5678。", masked.Messages[0].Text);
    }

    [Theory]
    [InlineData("+86 139 1234 5678")]
    [InlineData("139-1234-5678")]
    [InlineData("+8613912345678")]
    [InlineData("0086 139 1234 5678")]
    [InlineData("(+86) 139-1234-5678")]
    [InlineData("139.1234.5678")]
    [InlineData("１３９１２３４５６７８")]
    [InlineData("１３９－１２３４－５６７８")]
    [InlineData("＋８６ １３９ １２３４ ５６７８")]
    [InlineData("（＋８６）１３９．１２３４．５６７８")]
    [InlineData("139\u30001234\u30005678")]
    [InlineData("13９1234567８")]
    [InlineData("(139)1234-5678")]
    [InlineData("139 - 1234 - 5678")]
    [InlineData("1 3 9 1 2 3 4 5 6 7 8")]
    [InlineData("139—1234—5678")]
    [InlineData("139/1234/5678")]
    [InlineData("139_1234_5678")]
    [InlineData("139，1234，5678")]
    [InlineData("+86 (139) 1234 5678")]
    [InlineData("一三九一二三四五六七八")]
    [InlineData("壹叁玖壹贰叁肆伍陆柒捌")]
    [InlineData("幺三九 幺二三四 五六七八")]
    [InlineData("一三九 1234 五六七八")]
    [InlineData("139    1234    5678")]
    [InlineData("1  3  9  1  2  3  4  5  6  7  8")]
    [InlineData("139*1234*5678")]
    [InlineData("139~1234~5678")]
    [InlineData("139:1234:5678")]
    [InlineData("139ー1234ー5678")]
    [InlineData("１３９＊１２３４＊５６７８")]
    [InlineData("013912345678")]
    [InlineData("0 139 1234 5678")]
    [InlineData("1795113912345678")]
    public void P1_7_numbers_written_with_spaces_dashes_dots_plus86_or_full_width_digits_are_masked_for_support(string written)
    {
        var ticket = new TicketView("tkt_1", "usr_1", $"回电 {written}", [new TicketMessage(TicketAuthor.User, "usr_1", $"电话 {written}。", DateTimeOffset.UnixEpoch)], DateTimeOffset.UnixEpoch);

        var masked = ticket.MaskedForSupport();

        Assert.Equal("回电 *******5678", masked.Subject);
        Assert.Equal("电话 *******5678。", masked.Messages[0].Text);
    }

    [Theory]
    [InlineData("身份证 11010519491231002X。", "身份证 **************002X。")]
    [InlineData("身份证 11010519491231002x。", "身份证 **************002X。")]
    [InlineData("身份证 110105 19491231 002X。", "身份证 **************002X。")]
    [InlineData("身份证 610113200805171235", "身份证 **************1235")]
    [InlineData("卡号 6222 0210 0112 3456 789，退款", "卡号 ***************6789，退款")]
    [InlineData("卡号6222021001123456789", "卡号***************6789")]
    [InlineData("身份证 610113200805171235 2张", "身份证 **************1235 2张")]
    [InlineData("1、610113200805171235", "1、**************1235")]
    [InlineData("订单12610113200805171235", "订单12**************1235")]
    [InlineData("卡号 6222 0210 0112 3456 789 2张", "卡号 ***************6789 2张")]
    [InlineData("1. 6222 0210 0112 3456 789", "1. ***************6789")]
    [InlineData("卡号 4111 1111 1111 1111，2张", "卡号 ************1111，2张")]
    [InlineData("身份证 610113    20080517    1235", "身份证 **************1235")]
    [InlineData("卡号 6222    0210    0112    3456    789", "卡号 ***************6789")]
    public void P1_7_A_2_identity_card_and_bank_card_numbers_in_a_ticket_keep_only_their_last_four_digits_for_support(string written, string expected)
    {
        var ticket = new TicketView("tkt_1", "usr_1", written, [new TicketMessage(TicketAuthor.User, "usr_1", written, DateTimeOffset.UnixEpoch)], DateTimeOffset.UnixEpoch);

        var masked = ticket.MaskedForSupport();

        Assert.Equal(expected, masked.Subject);
        Assert.Equal(expected, masked.Messages[0].Text);
    }

    [Theory]
    [InlineData("订单 610113200805171236")]
    [InlineData("运单 6222021001123456780")]
    [InlineData("编号 110105194913310024")]
    [InlineData("一二三四五六七八九十，两三个人")]
    public void P1_7_long_numbers_that_are_no_identity_or_bank_card_and_counting_words_stay_as_written(string written)
    {
        var ticket = new TicketView("tkt_1", "usr_1", written, [], DateTimeOffset.UnixEpoch);

        Assert.Equal(written, ticket.MaskedForSupport().Subject);
    }

    // P1.7, A.1: a ticket's e-mail address or landline reached support whole, though both have a shape to find them by.
    [Theory]
    [InlineData("邮箱 zhangwei1990@163.com 谢谢", "邮箱 z***@163.com 谢谢")]
    [InlineData("邮箱：13912345678@139.com", "邮箱：1***@139.com")]
    [InlineData("座机 010-6234 5678", "座机 *******5678")]
    [InlineData("座机 (0755) 1234-5678，白天", "座机 ********5678，白天")]
    public void P1_7_A_1_email_addresses_and_landlines_in_a_ticket_are_masked_for_support(string written, string expected)
    {
        var ticket = new TicketView("tkt_1", "usr_1", written, [], DateTimeOffset.UnixEpoch);

        Assert.Equal(expected, ticket.MaskedForSupport().Subject);
    }

    // P4.4: a ticket of short numbers in groups ("1 1 1 …", 100,000 characters) made the card pass try every span of
    // groups against every other, cubic in their count: every support read of the ticket pinned a thread for minutes.
    [Fact]
    public void P4_4_a_ticket_of_many_short_groups_of_digits_is_masked_in_one_pass()
    {
        var written = string.Concat(Enumerable.Repeat("1 ", 25_000)) + string.Concat(Enumerable.Repeat("123 ", 12_500));
        var ticket = new TicketView("tkt_1", "usr_1", "", [new TicketMessage(TicketAuthor.User, "usr_1", written, DateTimeOffset.UnixEpoch)], DateTimeOffset.UnixEpoch);

        Assert.Equal(written.Length, ticket.MaskedForSupport().Messages[0].Text.Length);
    }

    // P1.7: support read a nickname whole, and a user may type their number into it (李师傅13912345678).
    [Fact]
    public void P1_7_a_number_typed_into_a_nickname_is_masked_for_support()
    {
        var profile = new UserProfile("usr_1", "13800138000", "李师傅13912345678", null, null, "CN", false, DateTimeOffset.UnixEpoch, "v1");

        Assert.Equal("李师傅*******5678", profile.MaskedForSupport().Nickname);
    }

    [Fact]
    public void P1_7_a_mobile_number_beside_an_identity_card_number_is_masked_too()
    {
        var ticket = new TicketView("tkt_1", "usr_1", "11010519491231002X 13912345678", [], DateTimeOffset.UnixEpoch);

        Assert.Equal("**************002X *******5678", ticket.MaskedForSupport().Subject);
    }

    [Fact]
    public void P1_7_a_stray_digit_before_a_spaced_out_number_does_not_leave_the_number_whole()
    {
        var ticket = new TicketView("tkt_1", "usr_1", "No. 5 1 3 9 1 2 3 4 5 6 7 8", [], DateTimeOffset.UnixEpoch);

        Assert.Equal("No. 5 *******5678", ticket.MaskedForSupport().Subject);
    }

    [Fact]
    public void P1_7_eleven_digits_that_are_no_mobile_number_stay_as_written_in_any_width()
    {
        var ticket = new TicketView("tkt_1", "usr_1", "运单 75312345678", [new TicketMessage(TicketAuthor.User, "usr_1", "运单 ７５３１２３４５６７８，金额 12.3456789012", DateTimeOffset.UnixEpoch)], DateTimeOffset.UnixEpoch);

        var masked = ticket.MaskedForSupport();

        Assert.Equal("运单 75312345678", masked.Subject);
        Assert.Equal("运单 ７５３１２３４５６７８，金额 12.3456789012", masked.Messages[0].Text);
    }

    [Fact]
    public void P1_7_a_profile_shows_support_a_masked_phone()
    {
        var profile = new UserProfile("usr_1", "13800138000", "Li", null, null, "CN", false, DateTimeOffset.UnixEpoch, "v1");

        Assert.Equal("*******8000", profile.MaskedForSupport().Phone);
    }

    [Fact]
    public void P1_7_P4_4_a_profile_shows_support_no_birth_date_but_still_whether_the_user_is_a_child()
    {
        var profile = new UserProfile("usr_1", "13800138000", "Li", null, new DateOnly(2014, 5, 17), "CN", true, DateTimeOffset.UnixEpoch, "v1");

        var masked = profile.MaskedForSupport();

        Assert.Null(masked.BirthDate);
        Assert.True(masked.IsMinor);
    }

    [Fact]
    public void P1_7_P4_4_a_location_shows_support_a_tenth_of_a_degree_and_the_hour_only()
    {
        var sample = new LocationSample(34.26581, 108.95414, 12.5, LocationSource.Gps, new DateTimeOffset(2026, 12, 2, 9, 41, 27, TimeSpan.FromHours(8)));

        var masked = sample.MaskedForSupport();

        Assert.Equal(34.3, masked.Latitude);
        Assert.Equal(109.0, masked.Longitude);
        Assert.Equal(SupportMasking.CityAccuracyMeters, masked.AccuracyMeters);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(8)), masked.At);
        Assert.Equal(LocationSource.Gps, masked.Source);
    }

    [Fact]
    public void P1_7_P4_4_a_coarse_sample_keeps_its_own_accuracy_and_negative_coordinates_round_alike()
    {
        var masked = new LocationSample(-33.86785, -151.20732, 50_000, LocationSource.Ip, DateTimeOffset.UnixEpoch).MaskedForSupport();

        Assert.Equal(-33.9, masked.Latitude);
        Assert.Equal(-151.2, masked.Longitude);
        Assert.Equal(50_000, masked.AccuracyMeters);
    }

    [Fact]
    public void P1_7_P4_4_a_track_within_one_city_and_hour_reads_as_one_sample_to_support()
    {
        var start = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var track = Enumerable.Range(0, 30)
            .Select(minute => new LocationSample(34.261 + (minute * 0.001), 108.911 + (minute * 0.001), 5, LocationSource.Gps, start.AddMinutes(minute)))
            .Append(new LocationSample(34.26, 108.94, 5, LocationSource.Gps, start.AddHours(1)));

        var masked = track.MaskedForSupport();

        Assert.Equal(new[] { start, start.AddHours(1) }, masked.Select(sample => sample.At));
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.*.*")]
    [InlineData("::ffff:198.51.100.9", "198.51.*.*")]
    [InlineData("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::*")]
    [InlineData("2001:db8::1", "2001:db8:0::*")]
    [InlineData("not an address", "***")]
    public void P1_7_P4_4_an_activity_entry_shows_support_the_network_not_the_host(string ipAddress, string expected)
    {
        Assert.Equal(expected, Entry(ipAddress, "green tea").MaskedForSupport().IpAddress);
    }

    [Fact]
    public void P1_7_P4_4_an_activity_entry_hides_the_user_agent_and_search_terms_from_support_but_keeps_what_helps()
    {
        var entry = Entry("203.0.113.77", "green tea");

        var masked = entry.MaskedForSupport();

        Assert.Equal("***", masked.SearchTerms);
        Assert.Equal("***", masked.UserAgent);
        Assert.Equal((entry.At, entry.Path, entry.Language, entry.OperatingSystem), (masked.At, masked.Path, masked.Language, masked.OperatingSystem));
    }

    [Fact]
    public void P1_7_P4_4_an_activity_entry_without_address_agent_or_search_stays_without()
    {
        var masked = (Entry(null, null) with { UserAgent = null }).MaskedForSupport();

        Assert.Null(masked.IpAddress);
        Assert.Null(masked.UserAgent);
        Assert.Null(masked.SearchTerms);
    }

    [Fact]
    public void P1_7_a_mobile_number_in_a_notice_is_masked_for_support()
    {
        // A merchant's name is the merchant's own text, told to its customers when it closes.
        var notice = new UserNotification(NoticeKinds.RequestStatus, "门店 请回电 13912345678 is closing.", "mer_1", DateTimeOffset.UnixEpoch, null);

        Assert.Equal("门店 请回电 *******5678 is closing.", notice.MaskedForSupport().Message);
    }

    private static ActivityEntry Entry(string? ipAddress, string? searchTerms) =>
        new("usr_1", DateTimeOffset.UnixEpoch, ipAddress, "Mozilla/5.0 (Linux; Android 14) MeiLingPOS/3.2", "zh-CN", "Android", "/v1/products", searchTerms);
}
