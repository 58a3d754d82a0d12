using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Unit.Platform;

public sealed class DailyAllowanceKeyTests
{
    [Theory]
    [InlineData(DailyAllowanceKind.SupportCalls)]
    [InlineData(DailyAllowanceKind.MemberCodesByStaffKey)]
    [InlineData(DailyAllowanceKind.MemberCodesByMerchant)]
    public void Each_kind_is_read_back_from_its_key(DailyAllowanceKind kind) =>
        Assert.Equal(kind, IDailyAllowanceGrain.KindOf(IDailyAllowanceGrain.KeyOf(kind, "stf_abc/with-a-slash")));

    [Theory]
    [InlineData("")]
    [InlineData("support-calls")]
    [InlineData("member-codes/stf_abc")]
    public void A_key_no_kind_makes_names_none(string key) => Assert.Null(IDailyAllowanceGrain.KindOf(key));
}
