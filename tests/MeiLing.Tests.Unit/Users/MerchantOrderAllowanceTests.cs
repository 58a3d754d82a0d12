using MeiLing.Grains;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

public sealed class MerchantOrderAllowanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void P4_4_a_merchants_orders_beyond_the_limit_in_its_window_are_refused_too_many_orders_with_when_to_retry()
    {
        var allowance = new MerchantOrderAllowance();
        for (var i = 0; i < 3; i++)
        {
            allowance.Take("mer_a", Start.AddHours(i), Day, 3);
        }

        var refused = Assert.Throws<DomainException>(() => allowance.Take("mer_a", Start.AddHours(10), Day, 3));

        Assert.Equal(DomainErrorKind.TooManyRequests, refused.Kind);
        Assert.Equal("too-many-orders", refused.Code);
        Assert.Equal(TimeSpan.FromHours(14), refused.RetryAfter);
    }

    [Fact]
    public void P4_4_each_merchant_has_its_own_count()
    {
        var allowance = new MerchantOrderAllowance();
        allowance.Take("mer_a", Start, Day, 1);

        allowance.Take("mer_b", Start, Day, 1);

        Assert.Throws<DomainException>(() => allowance.Take("mer_a", Start.AddMinutes(1), Day, 1));
        Assert.Throws<DomainException>(() => allowance.Take("mer_b", Start.AddMinutes(1), Day, 1));
    }

    [Fact]
    public void A_new_window_begins_once_the_last_one_ended()
    {
        var allowance = new MerchantOrderAllowance();
        allowance.Take("mer_a", Start, Day, 1);

        allowance.Take("mer_a", Start + Day, Day, 1);

        Assert.Throws<DomainException>(() => allowance.Take("mer_a", Start + Day + TimeSpan.FromHours(23), Day, 1));
    }

    [Fact]
    public void Merchants_whose_window_ended_are_forgotten_when_another_is_added_so_memory_follows_recent_merchants_only()
    {
        var allowance = new MerchantOrderAllowance();
        for (var i = 0; i < 100; i++)
        {
            allowance.Take($"mer_{i}", Start, Day, 500);
        }

        allowance.Take("mer_next_day", Start + Day, Day, 500);

        Assert.Equal(1, allowance.MerchantsHeld);
    }
}
