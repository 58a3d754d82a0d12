using System.Text.Json;

namespace MeiLing.Tests.Api;

[Collection(PlatformCollection.Name)]
public sealed class OperationsApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task Ready_when_the_cluster_and_postgresql_answer()
    {
        var response = await platform.Client().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Live_needs_no_credentials()
    {
        var response = await platform.Client().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_contract()
    {
        var document = await platform.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/merchants", out _));
        Assert.True(paths.TryGetProperty("/v1/merchants/{merchantId}", out _));
        Assert.True(paths.TryGetProperty("/v1/staff", out _));
        Assert.True(paths.TryGetProperty("/v1/policies/current", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
    }

    [Fact]
    public async Task The_openapi_ui_is_served()
    {
        var response = await platform.Client().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
