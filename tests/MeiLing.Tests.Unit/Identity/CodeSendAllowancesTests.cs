using MeiLing.Grains.Identity;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Identity;

public sealed class CodeSendAllowancesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = IVerificationCodeGrain.SendWindow;
    private static readonly TimeSpan Day = IVerificationCodeGrain.SendDay;

    // P4.4: the counts live in memory only. Kept for the window alone unless a window's worth was sent, a number sent four
    // codes, left idle past the window and collected came back with no count: ~370 texts and ~1,850 guesses a day.
    [Fact]
    public void P4_4_a_number_sent_a_single_code_is_kept_for_a_day_after_it()
    {
        var allowances = new CodeSendAllowances();
        allowances.For(VerificationPurpose.ResetPassword, party: null).Day.Take(Start, Day, IVerificationCodeGrain.SendsPerDay, "codes");

        Assert.Equal(Day - TimeSpan.FromMinutes(20), allowances.KeepFor(Start.AddMinutes(20), Window, Day));
    }

    // P4.4: kept until the oldest send's day ended, one send early and five late were forgotten minutes after the five,
    // and ten more went out within half an hour.
    [Fact]
    public void P4_4_a_number_is_kept_for_a_day_after_its_newest_send_not_its_oldest()
    {
        var allowances = new CodeSendAllowances();
        var sends = allowances.For(VerificationPurpose.ResetPassword, party: null);
        sends.Day.Take(Start, Day, IVerificationCodeGrain.SendsPerDay, "codes");
        var late = Start.AddHours(23).AddMinutes(50);
        for (var i = 0; i < 5; i++)
        {
            sends.Day.Take(late, Day, IVerificationCodeGrain.SendsPerDay, "codes");
        }

        Assert.Equal(Day, allowances.KeepFor(late, Window, Day));
    }

    [Fact]
    public void P4_4_the_longest_day_of_any_purpose_or_party_is_kept()
    {
        var allowances = new CodeSendAllowances();
        allowances.For(VerificationPurpose.Register, party: null).Day.Take(Start, Day, IVerificationCodeGrain.SendsPerDay, "codes");
        allowances.For(VerificationPurpose.MemberCardPayment, party: "mer_1").Day.Take(Start.AddHours(3), Day, IVerificationCodeGrain.SendsPerDay, "codes");

        Assert.Equal(Day - TimeSpan.FromHours(1), allowances.KeepFor(Start.AddHours(4), Window, Day));
    }

    [Fact]
    public void A_number_with_no_send_in_the_day_is_kept_for_the_window()
    {
        var allowances = new CodeSendAllowances();

        Assert.Equal(Window, allowances.KeepFor(Start, Window, Day));
        allowances.For(VerificationPurpose.Register, party: null).Day.Take(Start, Day, IVerificationCodeGrain.SendsPerDay, "codes");
        Assert.Equal(Window, allowances.KeepFor(Start.AddDays(2), Window, Day));
    }

    // P4.4: a network's share was added before the number's allowance refused the ask, so every refused ask from a fresh
    // /64 (a /48 holds 65,536) left an entry in the number's activation, which a send a day kept alive for good.
    [Fact]
    public void P4_4_looking_up_a_networks_share_for_an_ask_that_is_then_refused_keeps_nothing()
    {
        var allowances = new CodeSendAllowances();
        for (var network = 0; network < 1_000; network++)
        {
            Assert.Null(allowances.FindShare(VerificationPurpose.Register, $"ip:2001:db8:0:{network:x}::/64"));
        }

        Assert.Equal(0, allowances.Count);
        allowances.ShareOf(VerificationPurpose.Register, "ip:198.51.100.1").Take(Start, Day, IVerificationCodeGrain.SendsPerDayPerAskingNetwork, "codes");
        Assert.Single(allowances.FindShare(VerificationPurpose.Register, "ip:198.51.100.1")!.Uses);
    }

    [Fact]
    public void P4_4_allowances_whose_uses_have_all_aged_out_are_forgotten_and_the_others_kept()
    {
        var allowances = new CodeSendAllowances();
        allowances.ShareOf(VerificationPurpose.Register, "ip:198.51.100.1").Take(Start, Day, IVerificationCodeGrain.SendsPerDayPerAskingNetwork, "codes");
        allowances.ShareOf(VerificationPurpose.Register, "ip:198.51.100.2").Take(Start.AddHours(12), Day, IVerificationCodeGrain.SendsPerDayPerAskingNetwork, "codes");

        allowances.ForgetSpent(Start + Day, Window, Day);

        Assert.Equal(1, allowances.Count);
        Assert.Null(allowances.FindShare(VerificationPurpose.Register, "ip:198.51.100.1"));
        Assert.NotNull(allowances.FindShare(VerificationPurpose.Register, "ip:198.51.100.2"));
    }
}
