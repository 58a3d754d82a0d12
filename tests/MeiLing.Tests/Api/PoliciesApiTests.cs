namespace MeiLing.Tests.Api;

[Collection(PlatformCollection.Name)]
public sealed class PoliciesApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_published_version_becomes_current_for_anyone()
    {
        // P6.1: policy versions are published and readable.
        var version = $"v{Guid.NewGuid():N}"[..20];
        var published = await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Clearer wording", reducesRights = false });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        var current = await platform.Client().GetFromJsonAsync<PolicyBody>("/v1/policies/current");

        Assert.Equal(version, current?.Version);
        Assert.Equal("Clearer wording", current?.Summary);
        Assert.False(current?.ReducesRights);
    }

    [Fact]
    public async Task Publishing_a_version_twice_is_409()
    {
        var version = $"d{Guid.NewGuid():N}"[..20];
        await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Once", reducesRights = false });

        var again = await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "Twice", reducesRights = true });

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/policy-version-exists", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_operators_publish()
    {
        var merchant = await platform.CreateMerchantAsync("Policy Reader");

        var response = await platform.Client(merchant.ApiKey).PostAsJsonAsync("/v1/policies", new { version = "m1", summary = "No", reducesRights = false });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private sealed record PolicyBody(string Version, string Summary, bool ReducesRights, DateTimeOffset PublishedAt);
}
