using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.Users;

/// <summary>P4.4: the session signing key is the deployment's own, and tokens are valid only as the platform signs them.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SessionKeyTests(PlatformFixture platform)
{
    [Fact]
    public async Task P4_4_a_session_token_signed_with_another_algorithm_is_refused()
    {
        var user = await platform.RegisterUserAsync();
        var session = await platform.SignInAsync(user);
        var resigned = SessionTokens.Resign(session.Token, SecurityAlgorithms.HmacSha512);

        var original = await Get(session.Token, $"/v1/users/{user.UserId}");
        var other = await Get(resigned, $"/v1/users/{user.UserId}");

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        await other.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void P4_4_outside_development_the_api_does_not_start_without_a_session_key()
    {
        // Everything else as the shared host has it, so that the host would start were the key not required.
        using var api = platform.Api.WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("JWT_KEY", "");
        });

        var error = Assert.ThrowsAny<Exception>(() => api.Server);

        Assert.Contains("MEILING_JWT_KEY", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> Get(string token, string path)
    {
        var client = platform.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(path);
    }
}
