using MeiLing.Api.Security;
using MeiLing.Grains.Access;
using MeiLing.Grains.Staff;

namespace MeiLing.Tests.Security;

/// <summary>What a merchant's staff key stands for, read from its grant.</summary>
public sealed class StaffKeyClaimsTests
{
    private static readonly DateTimeOffset Issued = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    // P1.6: a staff key's grant without its role was read as the merchant's own key, which pays by member card without
    // the member's code and refunds. No code writes such a grant today; read one, the key is a cashier's.
    [Fact]
    public void P1_6_a_staff_key_whose_grant_lost_its_role_is_a_cashier_never_the_merchants_own_key()
    {
        var caller = CallerClaims.Principal(new ApiKeyGrant(CallerRole.Merchant, "mer_1", Issued, "stf_1", null), "api-key");

        Assert.Equal("stf_1", caller.MerchantStaffId());
        Assert.True(caller.IsInRole(Roles.Cashier));
        Assert.False(caller.IsInRole(Roles.Manager));
    }

    [Theory]
    [InlineData(StaffRole.Manager, Roles.Manager)]
    [InlineData(StaffRole.Cashier, Roles.Cashier)]
    public void A_staff_keys_role_is_the_one_its_grant_names(StaffRole role, string expected)
    {
        var caller = CallerClaims.Principal(new ApiKeyGrant(CallerRole.Merchant, "mer_1", Issued, "stf_1", role), "api-key");

        Assert.True(caller.IsInRole(expected));
    }

    [Fact]
    public void The_merchants_own_key_has_no_staff_id()
    {
        var caller = CallerClaims.Principal(new ApiKeyGrant(CallerRole.Merchant, "mer_1", Issued), "api-key");

        Assert.Null(caller.MerchantStaffId());
        Assert.False(caller.IsInRole(Roles.Cashier));
    }
}
