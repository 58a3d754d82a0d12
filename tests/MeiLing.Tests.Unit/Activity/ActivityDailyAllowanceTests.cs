using MeiLing.Grains.Activity;

namespace MeiLing.Tests.Unit.Activity;

public sealed class ActivityDailyAllowanceTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    // P1.3, P4.4: a user varying every request wrote a row of a hundred entries a flush, all day, each kept for the
    // retention period. Past the day's allowance they are counted, not kept apart, on one entry a minute.
    [Fact]
    public void P1_3_P4_4_past_the_days_allowance_a_users_requests_are_counted_on_one_overflow_entry_written_a_minute_later()
    {
        var clock = new UtcClock(Noon);
        var allowance = new ActivityDailyAllowance(entriesPerUserPerDay: 3, clock);

        var first = allowance.Admit([.. Enumerable.Range(0, 5).Select(i => Request("usr_1", $"search {i}")), Request("usr_2", "other")]);
        var second = allowance.Admit([Request("usr_1", "search 5", userAgent: "AnotherBrowser/1.0")]);
        clock.Advance(ActivityDailyAllowance.OverflowHeldFor);
        var aMinuteLater = allowance.Admit([]);

        Assert.Equal(["search 0", "search 1", "search 2", "other"], first.Select(entry => entry.SearchTerms));
        Assert.Empty(second);
        var overflow = Assert.Single(aMinuteLater);
        Assert.Equal(("usr_1", 3, 3), (overflow.UserId, overflow.Requests, overflow.Overflow!.DistinctRequests));
        Assert.Equal(("", (string?)null, (string?)null), (overflow.Path, overflow.SearchTerms, overflow.UserAgent));
        Assert.Null(allowance.NextDue);
    }

    [Fact]
    public void P1_3_a_new_day_gives_every_user_their_allowance_again_and_a_stopping_host_writes_what_it_holds()
    {
        var clock = new UtcClock(Noon);
        var allowance = new ActivityDailyAllowance(entriesPerUserPerDay: 1, clock);

        allowance.Admit([Request("usr_1", "a"), Request("usr_1", "b")]);
        Assert.Equal(Noon + ActivityDailyAllowance.OverflowHeldFor, allowance.NextDue);
        clock.Advance(TimeSpan.FromHours(12));
        var tomorrow = allowance.Admit([Request("usr_1", "c"), Request("usr_1", "d")]);
        var later = allowance.Admit([Request("usr_1", "e")]);
        var stopping = allowance.Admit([], releaseAll: true);

        // Yesterday's "b", held past its minute, is written with today's "d" counted on it; "e" is held until the host stops.
        Assert.Equal(["c", null], tomorrow.Select(entry => entry.SearchTerms));
        Assert.Equal([null, 2], tomorrow.Select(entry => entry.Overflow?.DistinctRequests));
        Assert.Empty(later);
        Assert.Equal(1, Assert.Single(stopping).Overflow!.DistinctRequests);
    }

    // Past the users counted a day each by their own, a user passed uncounted: the day's 200,001st user on a host varied
    // every request into sealed rows all day.
    [Fact]
    public void P1_3_P4_4_a_user_beyond_the_users_counted_by_their_own_is_still_held_to_the_days_allowance()
    {
        var clock = new UtcClock(Noon);
        var allowance = new ActivityDailyAllowance(entriesPerUserPerDay: 2, clock);
        for (var user = 0; user < ActivityDailyAllowance.UsersCounted; user++)
        {
            allowance.Admit([Request($"usr_{user}", "hello")]);
        }

        var late = allowance.Admit([.. Enumerable.Range(0, 5).Select(i => Request("usr_late", $"search {i}"))]);

        Assert.Equal(["search 0", "search 1"], late.Select(entry => entry.SearchTerms));
    }

    private static ActivityEntry Request(string userId, string search, string userAgent = "MeiLingPOS/3.2") =>
        new(userId, Noon, "10.1.2.3", userAgent, "zh-CN", "Android", $"/v1/users/{userId}", search);

    private sealed class UtcClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
