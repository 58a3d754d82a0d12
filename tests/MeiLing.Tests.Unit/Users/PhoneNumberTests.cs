using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("+86 138-0013-8000", "13800138000")]
    [InlineData("0086 13800138000", "13800138000")]
    public void P1_1_mainland_mobile_numbers_are_normalized(string input, string expected)
    {
        Assert.True(PhoneNumber.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("12800138000")]
    [InlineData("+1 415 555 0100")]
    [InlineData("1380013800")]
    [InlineData("")]
    public void P1_1_anything_else_is_not_a_mainland_mobile_number(string input) =>
        Assert.False(PhoneNumber.TryNormalize(input, out _));
}
