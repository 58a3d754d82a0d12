using System.Net.Http.Headers;
using System.Text.Json;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using Microsoft.AspNetCore.Hosting;

namespace MeiLing.Tests.Users;

[Collection(PlatformCollection.Name)]
public sealed class SessionTests(PlatformFixture platform)
{
    [Fact]
    public async Task Signing_in_returns_a_token_that_reads_the_profile()
    {
        var user = await platform.RegisterUserAsync();

        var session = await platform.SignInAsync(user);

        Assert.Equal(user.UserId, session.UserId);
        var client = platform.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/users/{user.UserId}")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_401()
    {
        var user = await platform.RegisterUserAsync();

        var response = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = "not the password" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_number_is_401()
    {
        var response = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = UserApiClient.NewPhone(), password = "whatever it is" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P1_1_after_10_failed_sign_ins_for_a_number_even_the_right_password_gets_429()
    {
        var user = await platform.RegisterUserAsync();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var failed = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = $"wrong {attempt}" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var response = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
    }

    // P4.4, P8.1: a sibling host of the same site (a merchant's H5 page) could plant a site-wide meiling_session holding its
    // own account's token: the visitor's privacy center then acted in the planter's account, their corrections and
    // requests handed to a stranger. Over https the cookie is __Host-: no other host can set it, and the plain name is
    // no session.
    [Fact]
    public async Task P4_4_P8_1_over_https_the_session_cookie_is_this_hosts_alone_and_a_planted_plain_one_signs_nobody_in()
    {
        var planter = await platform.RegisterUserAsync();
        var https = platform.Api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            HandleCookies = false,
        });

        var signIn = await https.PostAsJsonAsync("/v1/sessions", new { phone = planter.Phone, password = planter.Password });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(value => value.Contains("meiling_session=", StringComparison.Ordinal));
        var token = cookie.Split(';')[0].Split('=', 2)[1];

        Assert.StartsWith("__Host-meiling_session=", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", cookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithCookieAsync(https, $"/v1/users/{planter.UserId}", $"meiling_session={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(https, $"/v1/users/{planter.UserId}", $"__Host-meiling_session={token}")).StatusCode);

        // A browser signed in before the cookie took its name still holds the plain one: the next sign-in ends it.
        using var again = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = JsonContent.Create(new { phone = planter.Phone, password = planter.Password }) };
        again.Headers.Add("Cookie", $"meiling_session={token}");
        var cookies = (await https.SendAsync(again)).Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, value => value.StartsWith("meiling_session=;", StringComparison.Ordinal) && value.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task P2_1_the_session_cookie_alone_signs_a_browser_in()
    {
        var user = await platform.RegisterUserAsync();
        var signIn = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith("meiling_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        // Only the strictly necessary session cookie: no preference cookie was accepted or sent.
        var browser = platform.Client();
        browser.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        var response = await browser.GetAsync($"/v1/users/{user.UserId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // P4.4, P1.7: SameSite=Strict keeps other sites' requests out, but not a page on a sibling host of the same site (a
    // merchant's H5 page): its plain form post to a route that reads no body carried the cookie, and the user's confirmation
    // of an erasure support filed was taken as the user's own.
    [Fact]
    public async Task P4_4_a_post_from_another_origin_carrying_the_session_cookie_is_not_signed_in_and_confirms_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var cookie = await SessionCookieAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Sibling", "support")).ApiKey);
        var filed = (await support.FileRequestAsync(user.UserId, new
        {
            type = "deletion", details = new { categories = new[] { "avatar" } }, reason = "caller asked by phone", verification = "callback to the registered number",
        })).RequestId();

        Task<HttpResponseMessage> ConfirmWithCookieAsync(string header, string value)
        {
            var browser = platform.Client();
            browser.DefaultRequestHeaders.Add("Cookie", cookie);
            browser.DefaultRequestHeaders.Add(header, value);
            return browser.PostAsync($"/v1/requests/{filed}/confirmation", null);
        }

        var fromASiblingHost = await ConfirmWithCookieAsync("Sec-Fetch-Site", "same-site");
        var fromAnotherOrigin = await ConfirmWithCookieAsync("Origin", "https://shop.example.com");
        var stillAwaiting = (await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{filed}")).GetProperty("status").GetString();
        var fromTheApisOwnPage = await ConfirmWithCookieAsync("Sec-Fetch-Site", "same-origin");

        Assert.Equal(HttpStatusCode.Unauthorized, fromASiblingHost.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, fromAnotherOrigin.StatusCode);
        Assert.Equal("awaiting-confirmation", stillAwaiting);
        Assert.Equal(HttpStatusCode.OK, fromTheApisOwnPage.StatusCode);
    }

    // P4.4: the cookie a cross-origin state change may not use was still counted as a wrong credential, so a sibling
    // host's page spent its visitors' (and their NAT neighbours') failed-credential allowance, and the refusal became 429.
    [Fact]
    public async Task P4_4_a_session_cookie_refused_for_another_origin_spends_no_failed_credential_allowance()
    {
        var user = await platform.RegisterUserAsync();
        var cookie = await SessionCookieAsync(user);
        await using var api = platform.Api.WithWebHostBuilder(web => web.UseSetting("RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "1"));
        var browser = api.CreateClient();
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        browser.DefaultRequestHeaders.Add("Sec-Fetch-Site", "cross-site");

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            statuses.Add((await browser.DeleteAsync("/v1/sessions")).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_token_at_once()
    {
        var user = await platform.RegisterUserAsync();
        var first = await platform.AsUserAsync(user);
        var second = await platform.AsUserAsync(user);

        var signOut = await first.DeleteAsync("/v1/sessions");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        await (await second.GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await first.GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P4_4_signing_out_of_one_session_ends_its_token_on_every_api_host_and_silo_and_leaves_the_others_working()
    {
        var user = await platform.RegisterUserAsync();
        var (first, second) = (await platform.SignInAsync(user), await platform.SignInAsync(user));
        var profile = $"/v1/users/{user.UserId}";
        Assert.Equal(HttpStatusCode.OK, (await Bearer(platform.Client(), first.Token).GetAsync(profile)).StatusCode);

        var signOut = await Bearer(platform.Client(), first.Token).DeleteAsync("/v1/sessions/current");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        var replayed = await (await Bearer(platform.Client(), first.Token).GetAsync(profile)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.EndsWith("/session-ended", replayed.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(platform.Client(), second.Token).GetAsync(profile)).StatusCode);

        // Another API host (its own validated-token cache), and the user grain read back from storage, wherever it lands.
        await using var otherHost = platform.Api.WithWebHostBuilder(_ => { });
        await platform.Grains.GetGrain<IUserCredentials>(user.UserId).EndActivationAsync();
        await (await Bearer(otherHost.CreateClient(), first.Token).GetAsync(profile)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(otherHost.CreateClient(), second.Token).GetAsync(profile)).StatusCode);

        // An endpoint that calls no grain asks the user grain on its own (IsSessionOpen), with the same answer.
        var noGrain = $"/v1/users/{user.UserId}/consents/telepathy";
        var unknownPurpose = new { granted = true, policyVersion = "v1" };
        await (await Bearer(otherHost.CreateClient(), first.Token).PutAsJsonAsync(noGrain, unknownPurpose)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await Bearer(otherHost.CreateClient(), second.Token).PutAsJsonAsync(noGrain, unknownPurpose)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    // P4.4: a sign-out whose write failed (5xx) fails closed, its token refused at once, but memory alone held that: as the
    // user grain left memory (idle, restart, deploy) the revocation went with it, and the next activation let the copied
    // token in again.
    [Theory]
    [InlineData("/v1/sessions/current")]
    [InlineData("/v1/sessions")]
    public async Task P4_4_a_sign_out_whose_write_failed_still_refuses_its_token_after_the_user_grain_leaves_memory(string signOutPath)
    {
        var user = await platform.RegisterUserAsync();
        var copied = await platform.SignInAsync(user);
        var profile = $"/v1/users/{user.UserId}";
        Assert.Equal(HttpStatusCode.OK, (await Bearer(platform.Client(), copied.Token).GetAsync(profile)).StatusCode);

        var failed = await WhileUserStateRefusedAsync(user.UserId, () => Bearer(platform.Client(), copied.Token).DeleteAsync(signOutPath));
        var refusedAtOnce = await Bearer(platform.Client(), copied.Token).GetAsync(profile);
        await platform.Grains.GetGrain<IUserCredentials>(user.UserId).EndActivationAsync();
        var replayed = await Bearer(platform.Client(), copied.Token).GetAsync(profile);

        Assert.True((int)failed.StatusCode >= 500, $"{failed.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, refusedAtOnce.StatusCode);
        await replayed.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password })).StatusCode);
    }

    // P4.4: a later write that failed too read the state back from storage, which lacked the sign-out: the signed-out token
    // worked again at once, in the same activation.
    [Fact]
    public async Task P4_4_a_sign_out_whose_write_failed_is_not_undone_by_a_later_write_failing_too()
    {
        var user = await platform.RegisterUserAsync();
        var (copied, kept) = (await platform.SignInAsync(user), await platform.SignInAsync(user));
        var profile = $"/v1/users/{user.UserId}";

        var (signOut, correction) = await WhileUserStateRefusedAsync(user.UserId, async () =>
            (await Bearer(platform.Client(), copied.Token).DeleteAsync("/v1/sessions/current"),
             await Bearer(platform.Client(), kept.Token).PatchAsJsonAsync(profile, new { nickname = "refused" })));
        var replayed = await Bearer(platform.Client(), copied.Token).GetAsync(profile);
        var other = await Bearer(platform.Client(), kept.Token).GetAsync(profile);

        Assert.True((int)signOut.StatusCode >= 500, $"{signOut.StatusCode}");
        Assert.True((int)correction.StatusCode >= 500, $"{correction.StatusCode}");
        await replayed.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    // Only the user grain's own state row (its inbox is keyed alike).
    private Task<T> WhileUserStateRefusedAsync<T>(string userId, Func<Task<T>> act) =>
        platform.Database.WhileRefusingAsync("orleans_storage", $"NEW.grain_id_string = '{userId}' AND NEW.grain_type = 'user'", act);

    [Fact]
    public async Task P4_4_a_token_issued_before_sessions_had_ids_still_works_is_409_to_sign_out_alone_and_ends_when_signed_out_everywhere()
    {
        var user = await platform.RegisterUserAsync();
        var earlier = Bearer(platform.Client(), SessionTokens.WithoutSessionId((await platform.SignInAsync(user)).Token));
        var profile = $"/v1/users/{user.UserId}";
        Assert.Equal(HttpStatusCode.OK, (await earlier.GetAsync(profile)).StatusCode);

        var alone = await earlier.DeleteAsync("/v1/sessions/current");

        Assert.EndsWith("/session-without-id", (await alone.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await earlier.GetAsync(profile)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await earlier.DeleteAsync("/v1/sessions")).StatusCode);
        await (await earlier.GetAsync(profile)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_forged_token_is_401()
    {
        var client = platform.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfeCJ9.AAAA");

        var response = await client.GetAsync("/v1/users/usr_x");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task P4_4_a_validly_signed_token_that_names_no_session_is_401_on_every_request_not_only_its_first()
    {
        var user = await platform.RegisterUserAsync();
        var sessionless = Bearer(platform.Client(), SessionTokens.WithoutGeneration((await platform.SignInAsync(user)).Token));
        var profile = $"/v1/users/{user.UserId}";

        // The first request validates the signature and remembers the token; the later ones find it remembered.
        for (var request = 0; request < 3; request++)
        {
            await (await sessionless.GetAsync(profile)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task P4_4_a_caller_without_a_valid_token_is_challenged_for_a_bearer_token_whether_or_not_others_are_remembered()
    {
        var user = await platform.RegisterUserAsync();
        var remembered = Bearer(platform.Client(), (await platform.SignInAsync(user)).Token);
        Assert.Equal(HttpStatusCode.OK, (await remembered.GetAsync($"/v1/users/{user.UserId}")).StatusCode);

        var none = await platform.Client().GetAsync($"/v1/users/{user.UserId}");
        var forged = await Bearer(platform.Client(), "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfeCJ9.AAAA").GetAsync($"/v1/users/{user.UserId}");

        await none.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        await forged.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", forged.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P4_4_a_remembered_token_counts_only_as_the_one_bearer_credential_of_its_header()
    {
        var user = await platform.RegisterUserAsync();
        var token = (await platform.SignInAsync(user)).Token;
        var profile = $"/v1/users/{user.UserId}";
        Assert.Equal(HttpStatusCode.OK, (await Bearer(platform.Client(), token).GetAsync(profile)).StatusCode);

        // Under another scheme, or after something else in the same header, the same characters are no session.
        foreach (var header in new[] { $"Basic {token}", $"Bearer x {token}", $"Token {token}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, profile);
            request.Headers.TryAddWithoutValidation("Authorization", header);
            await (await platform.Client().SendAsync(request)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        // Any case of the scheme's name, with spaces around the token, as JwtBearer reads it.
        using var lowercase = new HttpRequestMessage(HttpMethod.Get, profile);
        lowercase.Headers.TryAddWithoutValidation("Authorization", $"bearer  {token} ");
        Assert.Equal(HttpStatusCode.OK, (await platform.Client().SendAsync(lowercase)).StatusCode);
    }

    private static HttpClient Bearer(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    // A browser's sign-in: the session cookie it is handed, as its Cookie header sends it back.
    private async Task<string> SessionCookieAsync(RegisteredUser user)
    {
        var signIn = await platform.Client().PostAsJsonAsync("/v1/sessions", new { phone = user.Phone, password = user.Password });
        return signIn.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith("meiling_session=", StringComparison.Ordinal)).Split(';')[0];
    }
}
