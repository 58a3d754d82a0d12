using System.Text.Json;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

public sealed class UserInboxStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P4_3_a_merchants_notice_of_the_same_kind_and_date_is_kept_once_whatever_its_words()
    {
        var inbox = new UserInboxState();

        var first = inbox.Add("usr_a", Closing("Shop closes", "mch_1"));
        var again = inbox.Add("usr_a", Closing("Shop closes (resent)", "mch_1"));
        var other = inbox.Add("usr_a", Closing("Shop closes", "mch_2"));

        Assert.Equal((true, false, true), (first, again, other));
        Assert.Equal(2, inbox.Notifications.Count);
        Assert.Equal("usr_a", inbox.UserId);
    }

    // P3.2 (*reviewer*): a transfer's notice names its transfer since the privacy center's Object form; one delivered by a
    // silo of the release before named nothing, and the walk resumed on a silo of this release sent it (and its text) again.
    [Fact]
    public void P3_2_a_transfer_notice_that_names_its_transfer_is_the_same_as_one_held_from_before_it_named_it()
    {
        var inbox = new UserInboxState();
        var date = Start.AddDays(30);
        var before = new UserNotification(NoticeKinds.MerchantTransfer, "Your data moves (transfer trf_1).", "mch_1", Start, date);

        var first = inbox.Add("usr_a", before);
        var named = inbox.Add("usr_a", before with { Subject = "trf_1" });
        var otherDate = inbox.Add("usr_a", before with { Subject = "trf_2", EffectiveAt = date.AddDays(1) });

        Assert.Equal((true, false, true), (first, named, otherDate));
    }

    [Fact]
    public void The_newest_notices_are_kept_up_to_the_cap()
    {
        var inbox = new UserInboxState();
        for (var i = 0; i <= UserInboxState.Kept; i++)
        {
            inbox.Add("usr_a", new UserNotification("request-status", $"notice {i}", null, Start.AddMinutes(i), null));
        }

        Assert.Equal(UserInboxState.Kept, inbox.Notifications.Count);
        Assert.Equal("notice 1", inbox.Notifications[0].Message);
    }

    // P3.2: a support agent filing and cancelling requests for the user sends two notices of no merchant a pair; 200 of
    // them pushed the notice of a transfer out of the inbox while the user could still object to it.
    [Fact]
    public void P3_2_P4_3_a_notice_of_a_date_still_to_come_outlasts_any_number_of_later_notices_until_that_date()
    {
        var inbox = new UserInboxState();
        inbox.Add("usr_a", new UserNotification("merchant-transfer", "moves to a successor", "mch_1", Start, Start.AddDays(31)));

        for (var i = 1; i <= 2 * UserInboxState.Kept; i++)
        {
            inbox.Add("usr_a", NoticeRequest(i, Start.AddMinutes(i)));
        }

        Assert.Equal(UserInboxState.Kept, inbox.Notifications.Count);
        Assert.Contains(inbox.Notifications, notice => notice.Kind == "merchant-transfer");
        // Once its date has passed, it is as old as it is.
        inbox.Add("usr_a", NoticeRequest(0, Start.AddDays(32)));
        Assert.DoesNotContain(inbox.Notifications, notice => notice.Kind == "merchant-transfer");
    }

    private static UserNotification NoticeRequest(int i, DateTimeOffset at) =>
        NoticeKinds.RequestStatusChanged($"req_{i}", "deletion", "cancelled", at);

    [Fact]
    public void P3_2_a_merchants_notices_of_one_kind_replace_their_own_oldest_and_push_out_no_other_notice()
    {
        var inbox = new UserInboxState();
        inbox.Add("usr_a", new UserNotification("merchant-transfer", "moves to a successor", "mch_1", Start, Start.AddDays(31)));
        inbox.Add("usr_a", new UserNotification("password-changed", "changed", null, Start, null));

        for (var i = 0; i < UserInboxState.Kept; i++)
        {
            inbox.Add("usr_a", new UserNotification(NoticeKinds.MemberCardCharged, $"charge {i}", "mch_1", Start.AddMinutes(i), null, $"pay_{i}"));
        }

        var charges = inbox.Notifications.Where(notice => notice.Kind == NoticeKinds.MemberCardCharged).ToList();
        Assert.Equal(UserInboxState.KeptPerMerchantKind, charges.Count);
        Assert.Equal($"charge {UserInboxState.Kept - UserInboxState.KeptPerMerchantKind}", charges[0].Message);
        Assert.Contains(inbox.Notifications, notice => notice.Kind == "merchant-transfer");
        Assert.Contains(inbox.Notifications, notice => notice.Kind == "password-changed");
        // Another merchant's charges have places of their own.
        Assert.True(inbox.Add("usr_a", new UserNotification(NoticeKinds.MemberCardCharged, "elsewhere", "mch_2", Start.AddDays(1), null, "pay_x")));
        Assert.Equal(UserInboxState.KeptPerMerchantKind + 3, inbox.Notifications.Count);
    }

    [Fact]
    public void Imported_notices_take_their_place_by_date_and_skip_the_ones_already_held()
    {
        var inbox = new UserInboxState();
        inbox.Add("usr_a", new UserNotification("password-changed", "new", null, Start.AddDays(1), null));
        var old = new UserNotification("guardian-confirmed", "old", null, Start, null);

        var added = inbox.Import("usr_a", [old, old with { }]);
        var again = inbox.Import("usr_a", [old]);

        Assert.Equal((1, 0), (added, again));
        Assert.Equal(["old", "new"], inbox.Notifications.Select(notice => notice.Message));
    }

    [Fact]
    public void An_earlier_versions_fields_are_read_from_their_old_names_and_then_forgotten()
    {
        var stored = JsonSerializer.Deserialize<UserState>("""
            {"UserId":"usr_a","ConsentHistory":[{"ReceiptId":"rcp_1","Purpose":"Album","Granted":true,"PolicyVersion":"2026-01","At":"2026-01-02T03:04:05+00:00","CollectionMethod":"api"}],
             "Notifications":[{"Kind":"password-changed","Message":"m","MerchantId":null,"At":"2026-01-02T03:04:05+00:00","EffectiveAt":null}],
             "TicketIds":["tkt_1"]}
            """)!;

        var legacy = stored.LegacyFields()!;
        stored.ForgetLegacyFields();

        Assert.Equal("rcp_1", Assert.Single(legacy.Receipts("usr_a", "CN")).ReceiptId);
        Assert.Equal("m", Assert.Single(legacy.Notifications).Message);
        Assert.Equal(["tkt_1"], legacy.TicketIds);
        Assert.Null(stored.LegacyFields());
        Assert.Null(new UserState().LegacyFields());
    }

    private static UserNotification Closing(string text, string merchantId) =>
        new("merchant-closing", text, merchantId, Start, Start.AddDays(30));
}
