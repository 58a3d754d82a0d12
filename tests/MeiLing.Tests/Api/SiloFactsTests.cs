using MeiLing.Api.Security;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;

namespace MeiLing.Tests.Api;

/// <summary>
/// What each silo keeps at hand instead of asking a grain on every request (an API key's grant, a merchant) is
/// forgotten on every silo before the change that makes it wrong answers. Each test first has both silos of the test
/// cluster hold a copy, so it fails if the change reached only the silo it ran on.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SiloFactsTests(PlatformFixture platform)
{
    private IEnumerable<SiloFacts> EverySilo =>
        platform.EverySilo.Select(silo => silo.GetRequiredService<SiloFacts>());

    [Fact]
    public async Task P4_4_an_offboarded_members_key_is_refused_at_once_by_every_silo()
    {
        var staff = await platform.EnrolStaffAsync("Leaving Two Silos", "support");
        var keyHash = Convert.ToHexStringLower(ApiKeyAuthenticationHandler.Hash(staff.ApiKey));
        foreach (var silo in EverySilo)
        {
            Assert.NotNull(await silo.ApiKeyGrantAsync(keyHash));
        }

        (await platform.Operator().DeleteAsync($"/v1/staff/{staff.StaffId}")).EnsureSuccessStatusCode();

        foreach (var silo in EverySilo)
        {
            Assert.Null(await silo.ApiKeyGrantAsync(keyHash));
        }

        await (await platform.Client(staff.ApiKey).GetAsync("/v1/requests?status=open")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P4_4_a_replaced_merchant_key_is_refused_at_once_by_every_silo()
    {
        var merchant = await platform.CreateMerchantAsync("Key Rotation Two Silos");
        var oldHash = Convert.ToHexStringLower(ApiKeyAuthenticationHandler.Hash(merchant.ApiKey));
        foreach (var silo in EverySilo)
        {
            Assert.NotNull(await silo.ApiKeyGrantAsync(oldHash));
        }

        (await platform.Operator().PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null)).EnsureSuccessStatusCode();

        foreach (var silo in EverySilo)
        {
            Assert.Null(await silo.ApiKeyGrantAsync(oldHash));
        }
    }

    [Fact]
    public async Task P4_3_a_merchant_that_starts_closing_is_seen_closing_at_once_by_every_silo()
    {
        var merchant = await platform.CreateMerchantAsync("Closing On Two Silos");
        foreach (var silo in EverySilo)
        {
            Assert.Equal(MerchantStatus.Active, (await silo.MerchantAsync(merchant.MerchantId))?.Status);
        }

        (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/termination", new { noticeDays = 30 })).EnsureSuccessStatusCode();

        foreach (var silo in EverySilo)
        {
            Assert.Equal(MerchantStatus.Terminating, (await silo.MerchantAsync(merchant.MerchantId))?.Status);
        }
    }
}
