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
}
