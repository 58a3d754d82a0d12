namespace MeiLing.Tests.Api;

[Collection(PlatformCollection.Name)]
public sealed class MerchantsApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_operator_opens_a_merchant_that_reads_itself_with_its_own_key()
    {
        var created = await platform.CreateMerchantAsync("Lotus Bakery");

        var response = await platform.Client(created.ApiKey).GetAsync($"/v1/merchants/{created.MerchantId}");

        response.EnsureSuccessStatusCode();
        var merchant = await response.Content.ReadFromJsonAsync<MerchantBody>();
        Assert.Equal(created.MerchantId, merchant?.MerchantId);
        Assert.Equal("Lotus Bakery", merchant?.Name);
        Assert.Equal("CN", merchant?.Region);
    }

    [Fact]
    public async Task Creating_a_merchant_returns_201_with_its_location()
    {
        var response = await platform.Operator().PostAsJsonAsync("/v1/merchants", new { name = "Located" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<MerchantCreatedBody>();
        Assert.Equal($"/v1/merchants/{body!.MerchantId}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("mk_", body.ApiKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_the_answer_is_401_problem()
    {
        var response = await platform.Client().PostAsJsonAsync("/v1/merchants", new { name = "Nobody" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task A_wrong_key_is_401_problem()
    {
        var response = await platform.Client("mk_not-a-real-key").GetAsync("/v1/merchants/mer_aaaaaaaaaaaaaaaaaaaaaaaaaa");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_merchant_may_not_open_merchants()
    {
        var merchant = await platform.CreateMerchantAsync("Ambitious");

        var response = await platform.Client(merchant.ApiKey).PostAsJsonAsync("/v1/merchants", new { name = "Second shop" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_merchants_id_is_404()
    {
        var mine = await platform.CreateMerchantAsync("Mine");
        var theirs = await platform.CreateMerchantAsync("Theirs");

        var response = await platform.Client(mine.ApiKey).GetAsync($"/v1/merchants/{theirs.MerchantId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_merchant_is_404()
    {
        var response = await platform.Operator().GetAsync("/v1/merchants/mer_zzzzzzzzzzzzzzzzzzzzzzzzzz");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task P4_2_a_region_the_deployment_does_not_serve_is_400()
    {
        var response = await platform.Operator().PostAsJsonAsync("/v1/merchants", new { name = "Abroad", region = "US" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("region", out _));
    }
}

internal sealed record MerchantBody(string MerchantId, string Name, string Region, DateTimeOffset CreatedAt);
