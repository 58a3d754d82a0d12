using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Unit.Platform;

public sealed class DailyAllowanceKeyTests
{
    // Every kind, so that a kind added without its name in the key fails here rather than as a 500 on its route.
    [Fact]
    public void Every_kind_is_read_back_from_its_key() =>
        Assert.All(Enum.GetValues<DailyAllowanceKind>(), kind =>
            Assert.Equal(kind, IDailyAllowanceGrain.KindOf(IDailyAllowanceGrain.KeyOf(kind, "stf_abc/with-a-slash"))));

    [Theory]
    [InlineData("")]
    [InlineData("support-calls")]
    [InlineData("member-codes/stf_abc")]
    public void A_key_no_kind_makes_names_none(string key) => Assert.Null(IDailyAllowanceGrain.KindOf(key));
}
