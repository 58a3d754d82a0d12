using MeiLing.Tests.Users;

namespace MeiLing.Tests.Api;

/// <summary>P4.4: the response headers that keep browsers from sniffing, framing, leaking referrers or caching credentials.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SecurityHeadersTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("/v1/policies")]
    [InlineData("/v1/no-such-thing")]
    [InlineData("/v1/merchants")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health/live")]
    public async Task P4_4_every_response_forbids_sniffing_framing_and_referrers(string path)
    {
        var response = await platform.Client().GetAsync(path);

        AssertHardened(response);
        Assert.StartsWith("default-src 'none'", Csp(response), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", Csp(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task P4_4_an_error_raised_by_a_grain_keeps_the_headers()
    {
        // 409 from the grain: the exception handler rewrites the response, the headers survive.
        var version = await platform.CurrentPolicyVersionAsync();
        var response = await platform.Operator().PostAsJsonAsync("/v1/policies", new { version, summary = "again", reducesRights = false });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        AssertHardened(response);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task P4_4_answers_to_a_caller_with_credentials_are_never_stored()
    {
        var user = await platform.RegisterUserAsync();
        var signIn = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password });
        var client = await platform.AsUserAsync(user);

        var profile = await client.GetAsync($"/v1/users/{user.UserId}");

        Assert.Equal("no-store", signIn.Headers.CacheControl?.ToString());
        Assert.Equal("no-store", profile.Headers.CacheControl?.ToString());
        Assert.Equal("no-store", (await platform.Operator().GetAsync("/v1/policies")).Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_public_anonymous_answer_may_be_cached()
    {
        var response = await platform.Client().GetAsync("/v1/policies");

        Assert.Null(response.Headers.CacheControl);
    }

    [Fact]
    public async Task P4_4_the_swagger_ui_may_load_its_own_scripts_styles_and_icons_only()
    {
        var page = await platform.Client().GetAsync("/swagger/index.html");
        var script = await platform.Client().GetAsync("/swagger/index.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        AssertHardened(page);
        Assert.Contains("script-src 'self';", Csp(page), StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", Csp(page), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", Csp(page), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AssertHardened(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.NotEmpty(Csp(response));
    }

    private static string Csp(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Content-Security-Policy", out var values) ? values.Single() : "";
}
