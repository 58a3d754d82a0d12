using MeiLing.Grains.Merchants;
using MeiLing.Grains.Staff;

namespace MeiLing.Tests.Unit.Retail;

public sealed class CashierTopUpDayTests
{
    private static readonly DateOnly Monday = new(2026, 11, 30);

    [Fact]
    public void A_day_takes_top_ups_up_to_its_limit_exactly_and_refuses_the_one_beyond_it_without_counting_it()
    {
        var day = new CashierTopUpDay();

        Assert.Equal(CashierTopUpOutcome.Counted, day.Take(Monday, "a", 6_000, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.OverLimit, day.Take(Monday, "b", 4_001, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.Counted, day.Take(Monday, "c", 4_000, limitFen: 10_000));

        Assert.Equal(0, day.LeftOn(Monday, 10_000));
        Assert.Equal(10_000, day.TakenFen);
    }

    // A.2, P4.1: an older release counted top-ups under the card's key, naming the member; renamed, they name nobody, and a
    // retry of one, counted as the card now names it, is still the same top-up.
    [Fact]
    public void A_2_P4_1_top_ups_counted_under_the_members_card_key_are_renamed_and_still_count_once()
    {
        var day = new CashierTopUpDay();
        day.Take(Monday, "mer_1/usr_1:till-1", 9_000, limitFen: 10_000);
        day.OperationIds.Add("mer_1/usr_2:till-0");

        var renamed = day.ForgetMembers();
        var again = day.ForgetMembers();

        Assert.True(renamed);
        Assert.False(again);
        Assert.DoesNotContain(day.Counted, counted => counted.OperationId.Contains("usr_", StringComparison.Ordinal));
        Assert.DoesNotContain(day.OperationIds, id => id.Contains("usr_", StringComparison.Ordinal));
        Assert.Equal(CashierTopUpOutcome.AlreadyCounted, day.Take(Monday, CountedOperations.Of("mer_1/usr_1", "till-1"), 9_000, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.AlreadyCounted, day.Take(Monday, CountedOperations.Of("mer_1/usr_2", "till-0"), 1, limitFen: 10_000));
    }

    [Fact]
    public void A_retried_operation_counts_once_and_a_new_day_starts_from_nothing()
    {
        var day = new CashierTopUpDay();
        day.Take(Monday, "a", 9_000, limitFen: 10_000);

        Assert.Equal(CashierTopUpOutcome.AlreadyCounted, day.Take(Monday, "a", 9_000, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.Counted, day.Take(Monday.AddDays(1), "b", 10_000, limitFen: 10_000));
        Assert.Equal(["b"], day.Counted.Select(counted => counted.OperationId));
        Assert.Equal(10_000, day.LeftOn(Monday.AddDays(2), 10_000));
    }

    // P1.6: two silos whose clocks straddle midnight name two days; alternating between them started a fresh day each time.
    [Fact]
    public void P1_6_a_top_up_dated_the_day_before_the_one_counting_counts_on_it_and_starts_no_fresh_limit()
    {
        var day = new CashierTopUpDay();

        Assert.Equal(CashierTopUpOutcome.Counted, day.Take(Monday.AddDays(1), "a", 10_000, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.OverLimit, day.Take(Monday, "b", 1, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.OverLimit, day.Take(Monday.AddDays(1), "c", 1, limitFen: 10_000));
        Assert.True(day.ConfirmApplied(Monday, "a"));
        Assert.Equal(Monday.AddDays(1), day.Day);
        Assert.Equal(0, day.LeftOn(Monday, 10_000));
    }

    // P1.6: the card forgets an operation after 1,000 more (payments of a fen each will do), while the staff record still
    // knows the key: the replay, with any amount, was taken for a retry and put on the card without counting.
    [Fact]
    public void P1_6_a_key_the_card_applied_or_sent_with_another_amount_is_reused_not_a_retry()
    {
        var day = new CashierTopUpDay();
        day.Take(Monday, "a", 1_000, limitFen: 10_000);
        day.Take(Monday, "b", 1_000, limitFen: 10_000);

        Assert.True(day.ConfirmApplied(Monday, "a"));
        Assert.Equal(CashierTopUpOutcome.KeyReused, day.Take(Monday, "a", 1_000, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.KeyReused, day.Take(Monday, "b", 100_000_000, limitFen: 10_000));
        Assert.Equal(CashierTopUpOutcome.AlreadyCounted, day.Take(Monday, "b", 1_000, limitFen: 10_000));
        Assert.False(day.ConfirmApplied(Monday, "a"));
        Assert.Equal(2_000, day.TakenFen);
    }

    [Fact]
    public void An_operation_counted_by_an_older_release_is_still_a_retry()
    {
        var day = new CashierTopUpDay { Day = Monday, TakenFen = 1_000, OperationIds = ["old"] };

        Assert.Equal(CashierTopUpOutcome.AlreadyCounted, day.Take(Monday, "old", 1_000, limitFen: 10_000));
    }

    [Fact]
    public void The_day_remembers_only_its_latest_operations_so_the_staff_record_stays_small()
    {
        var day = new CashierTopUpDay();
        for (var i = 0; i < CashierTopUpDay.RememberedOperations + 50; i++)
        {
            day.Take(Monday, $"op-{i}", 1, limitFen: 1_000_000);
        }

        Assert.Equal(CashierTopUpDay.RememberedOperations, day.Counted.Count);
        Assert.Equal($"op-{CashierTopUpDay.RememberedOperations + 49}", day.Counted[^1].OperationId);
    }

    [Fact]
    public void The_merchants_day_is_its_own_zones_calendar_day()
    {
        var lateUtc = new DateTimeOffset(2026, 11, 30, 17, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 12, 1), MerchantTimeZones.DayOf(MerchantTimeZones.Find("Asia/Shanghai"), lateUtc));
        Assert.Equal(Monday, MerchantTimeZones.DayOf(MerchantTimeZones.Find("Europe/London"), lateUtc));
    }
}
