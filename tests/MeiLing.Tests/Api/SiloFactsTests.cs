using MeiLing.Api.Security;
using MeiLing.Grains;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Retail;

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

    [Fact]
    public async Task A_new_price_an_archived_product_and_a_new_product_are_quoted_at_once_by_every_silo()
    {
        var till = await platform.OpenTillAsync("Prices On Two Silos");
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 1_000, stock: null);
        OrderItem[] tea = [new("TEA", 1)];
        foreach (var silo in EverySilo)
        {
            Assert.Equal(1_000, (await silo.QuoteAsync(till.MerchantId, tea)).Lines[0].UnitPriceFen);
        }

        (await till.Manager.PatchAsJsonAsync($"/v1/merchants/{till.MerchantId}/products/TEA", new { priceFen = 1_200 })).EnsureSuccessStatusCode();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "CAKE", 800, stock: null);

        foreach (var silo in EverySilo)
        {
            Assert.Equal(1_200, (await silo.QuoteAsync(till.MerchantId, tea)).Lines[0].UnitPriceFen);
            Assert.Equal(800, (await silo.QuoteAsync(till.MerchantId, [new("CAKE", 1)])).Lines[0].UnitPriceFen);
        }

        (await till.Manager.DeleteAsync($"/v1/merchants/{till.MerchantId}/products/TEA")).EnsureSuccessStatusCode();

        foreach (var silo in EverySilo)
        {
            var refused = await Assert.ThrowsAsync<DomainException>(async () => await silo.QuoteAsync(till.MerchantId, tea));
            Assert.Equal("product-archived", refused.Code);
        }
    }

    [Fact]
    public async Task A_catalogue_too_large_to_copy_is_quoted_by_its_grain()
    {
        var merchant = await platform.CreateMerchantAsync("Large Catalogue");
        var catalogue = platform.Grains.GetGrain<ICatalogueGrain>(merchant.MerchantId);
        for (var i = 0; i <= PriceList.MaxProducts; i++)
        {
            await catalogue.Add(new Product($"SKU-{i:D4}", $"Item {i}", 100 + i, null, default), initialStock: null, staffId: null);
        }

        Assert.Null(await catalogue.GetPriceList());
        foreach (var silo in EverySilo)
        {
            Assert.Equal(100 + PriceList.MaxProducts, (await silo.QuoteAsync(merchant.MerchantId, [new($"SKU-{PriceList.MaxProducts:D4}", 1)])).Lines[0].UnitPriceFen);
        }
    }
}
