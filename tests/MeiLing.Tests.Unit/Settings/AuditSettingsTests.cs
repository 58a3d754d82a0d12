using MeiLing.Grains.Audit;

namespace MeiLing.Tests.Unit.Settings;

public sealed class AuditSettingsTests
{
    // P8.1: a page of the chain's walk is one short query; none (0) would never end a walk, and a huge one is the whole log again.
    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(AuditSettings.MaxVerifyPageSize + 1, false)]
    [InlineData(1, true)]
    [InlineData(AuditSettings.MaxVerifyPageSize, true)]
    public void P8_1_the_chain_walks_page_size_is_bounded(int pageSize, bool valid) =>
        Assert.Equal(valid, new AuditSettings { VerifyPageSize = pageSize }.IsValid);

    [Fact]
    public void P8_1_the_default_page_size_is_valid() => Assert.True(new AuditSettings().IsValid);
}
