using System.Text.Json;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.TestHost;

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

    // P4.4: the document is anonymous, and it was built anew for every request (every route, schema and transformer):
    // the most work any anonymous caller could ask for, at the anonymous rate. Its servers named the caller's Host.
    [Fact]
    public async Task P4_4_the_openapi_document_is_built_once_whatever_host_query_or_credentials_ask_and_names_no_callers_host()
    {
        var built = 0;
        await using var api = platform.Api.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer((_, _, _) =>
            {
                Interlocked.Increment(ref built);
                return Task.CompletedTask;
            }))));
        var client = api.CreateClient();

        // *reviewer*: whoever asks, a caller with credentials (a session, a key, an expired token of their own) too.
        var user = await platform.RegisterUserAsync();
        var session = await platform.SignInAsync(user);
        var merchant = await platform.CreateMerchantAsync("OpenAPI Reader");
        var documents = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/openapi/v1.json?nonce={i}");
            request.Headers.Host = $"attacker-{i}.example";
            switch (i % 3)
            {
                case 1:
                    request.Headers.Authorization = new("Bearer", session.Token);
                    break;
                case 2:
                    request.Headers.Add("X-Api-Key", merchant.ApiKey);
                    break;
            }

            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            documents.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, built);
        Assert.Single(documents.Distinct());
        Assert.DoesNotContain("attacker-", documents[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_ui_is_served()
    {
        var response = await platform.Client().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
