using MeiLing.ServiceDefaults;

namespace MeiLing.Tests.Unit.Settings;

public sealed class PaymentPartnerSecretsTests
{
    private const string Secret = "whsec_dGVzdC13ZWNoYXQtcGF5LXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=";

    [Fact]
    public void Each_partner_has_its_own_secret()
    {
        Assert.True(PaymentPartnerSecrets.TryParse($"wechat-pay={Secret}, alipay={Secret}", out var secrets));

        Assert.Equal(["alipay", "wechat-pay"], secrets.Keys.Order());
    }

    [Theory]
    [InlineData("wechat-pay=not-a-secret")]
    [InlineData("wechat-pay=whsec_c2hvcnQ=")]
    [InlineData("=whsec_dGVzdC13ZWNoYXQtcGF5LXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=")]
    [InlineData("alipay=whsec_dGVzdC13ZWNoYXQtcGF5LXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=,alipay=whsec_dGVzdC13ZWNoYXQtcGF5LXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=")]
    public void A_malformed_short_or_repeated_secret_is_refused(string text) =>
        Assert.False(PaymentPartnerSecrets.TryParse(text, out _));

    [Fact]
    public void No_secrets_is_valid_and_empty()
    {
        Assert.True(PaymentPartnerSecrets.TryParse(null, out var secrets));
        Assert.Empty(secrets);
    }
}
