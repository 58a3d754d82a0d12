using MeiLing.Grains;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

public sealed class AllowanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P4_4_uses_beyond_the_limit_in_the_window_are_refused_with_when_to_retry()
    {
        var allowance = new Allowance();
        for (var i = 0; i < 3; i++)
        {
            allowance.Take(Start.AddMinutes(i), TimeSpan.FromHours(1), 3, "things");
        }

        var refused = Assert.Throws<DomainException>(() => allowance.Take(Start.AddMinutes(10), TimeSpan.FromHours(1), 3, "things"));

        Assert.Equal(DomainErrorKind.TooManyRequests, refused.Kind);
        Assert.Equal("quota-exceeded", refused.Code);
        Assert.Equal(TimeSpan.FromMinutes(50), refused.RetryAfter);
    }

    [Fact]
    public void Uses_that_left_the_window_free_their_place()
    {
        var allowance = new Allowance();
        allowance.Take(Start, TimeSpan.FromHours(1), 1, "things");

        allowance.Take(Start.AddHours(1), TimeSpan.FromHours(1), 1, "things");

        Assert.Single(allowance.Uses);
    }
}
