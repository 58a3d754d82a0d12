using MeiLing.Grains;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

public sealed class FixedWindowCountTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P4_4_a_block_takes_what_is_left_of_the_window_then_nothing_more_until_it_ends()
    {
        var day = new FixedWindowCount();

        Assert.Equal(100, day.TakeUpTo(Start, TimeSpan.FromDays(1), 250, 100, "sales"));
        Assert.Equal(100, day.TakeUpTo(Start.AddHours(1), TimeSpan.FromDays(1), 250, 100, "sales"));
        Assert.Equal(50, day.TakeUpTo(Start.AddHours(2), TimeSpan.FromDays(1), 250, 100, "sales"));
        var refused = Assert.Throws<DomainException>(() => day.TakeUpTo(Start.AddHours(3), TimeSpan.FromDays(1), 250, 100, "sales"));
        Assert.Equal("quota-exceeded", refused.Code);
        Assert.Equal(TimeSpan.FromHours(21), refused.RetryAfter);

        Assert.Equal(100, day.TakeUpTo(Start.AddDays(1), TimeSpan.FromDays(1), 250, 100, "sales"));
        Assert.Equal(100, day.Used);
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(1_100, 1)]
    [InlineData(5_000, 5)]
    [InlineData(100_000, AllowanceLeases.LargestBlock)]
    [InlineData(100_000_000, AllowanceLeases.LargestBlock)]
    public void P4_4_a_silo_takes_a_thousandth_of_a_day_of_sales_at_once_and_at_most_a_hundred(int perDay, int block) =>
        Assert.Equal(block, AllowanceLeases.BlockOf(perDay));
}
