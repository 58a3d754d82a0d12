namespace MeiLing.Tests.Api;

[Collection(PlatformCollection.Name)]
public sealed class MerchantKeyTests(PlatformFixture platform)
{
    [Fact]
    public async Task Replacing_a_merchants_key_ends_the_old_one_at_once_and_the_new_one_works()
    {
        var merchant = await platform.CreateMerchantAsync("Leaky Till");

        var response = await platform.Operator().PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null);
        var replaced = await response.Content.ReadFromJsonAsync<MerchantCreatedBody>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(merchant.ApiKey, replaced!.ApiKey);
        await (await platform.Client(merchant.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await platform.Client(replaced.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}")).StatusCode);
    }

    [Fact]
    public async Task A_merchant_replaces_its_own_key()
    {
        var merchant = await platform.CreateMerchantAsync("Careful Shop");

        var response = await platform.Client(merchant.ApiKey).PostAsync($"/v1/merchants/{merchant.MerchantId}/api-key", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await (await platform.Client(merchant.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_merchants_key_cannot_be_replaced()
    {
        var victim = await platform.CreateMerchantAsync("Victim Shop");
        var other = await platform.CreateMerchantAsync("Other Shop");

        var response = await platform.Client(other.ApiKey).PostAsync($"/v1/merchants/{victim.MerchantId}/api-key", null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await platform.Client(victim.ApiKey).GetAsync($"/v1/merchants/{victim.MerchantId}")).StatusCode);
    }

    [Fact]
    public async Task Replacing_the_key_of_an_unknown_merchant_is_404()
    {
        var unknown = MeiLing.Grains.Platform.EntityId.New(MeiLing.Grains.Platform.EntityId.MerchantPrefix);

        var response = await platform.Operator().PostAsync($"/v1/merchants/{unknown}/api-key", null);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
