using System.Text.Json;
using MeiLing.Api.Security;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Consoles;

/// <summary>
/// What the privacy center and the console's queue let a user or an agent do in the browser that the API already lets
/// them do: stop a request support filed, sign out when the cluster cannot answer, page the queue with a bad cursor.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PrivacyCenterRightsTests(PlatformFixture platform)
{
    private static readonly object SupportCancellation = new { type = "cancellation", reason = "用户来电要求注销", verification = "回拨注册手机号核实" };

    // P1.7, P8.1 (*reviewer*): an agent filed a cancellation in the user's name from the console; the privacy center offered
    // only "Confirm", so the user could not stop it, and a second agent's approval erased the account. The API's
    // POST /v1/requests/{id}/cancellation was the user's only way.
    [Fact]
    public async Task P1_7_P8_1_the_user_cancels_in_the_privacy_center_a_cancellation_support_filed_so_a_second_agents_approval_is_refused()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("客服 甲", "support")).ApiKey);
        var second = platform.Client((await platform.EnrolStaffAsync("客服 乙", "support")).ApiKey);
        var requestId = (await support.FileRequestAsync(user.UserId, SupportCancellation)).RequestId();
        var browser = await platform.PrivacyCenterAsync(user);
        var stranger = await platform.PrivacyCenterAsync(await platform.RegisterUserAsync());
        var cancel = $"/privacy/requests?handler=Cancel&requestId={requestId}";

        var offered = await browser.GetStringAsync("/privacy/requests");
        var byStranger = await stranger.PostFormAsync(cancel, new(), "/privacy/requests");
        var strangerShown = await stranger.GetStringAsync(byStranger.Headers.Location!.OriginalString);
        var malformed = await browser.PostFormAsync("/privacy/requests?handler=Cancel&requestId=not-a-request", new(), "/privacy/requests");
        var cancelled = await browser.PostFormAsync(cancel, new(), "/privacy/requests");
        var shown = await browser.GetStringAsync(cancelled.Headers.Location!.OriginalString);
        var approved = await second.PostAsJsonAsync($"/v1/requests/{requestId}/approval", new { reason = "identity re-checked by callback" });

        Assert.Contains($"action=\"/privacy/requests?requestId={requestId}&amp;handler=Cancel\"", offered, StringComparison.Ordinal);
        // Another user's cancellation is the grain's refusal on their own page, and changes nothing.
        Assert.Equal(HttpStatusCode.Redirect, byStranger.StatusCode);
        Assert.Contains("No such request.", strangerShown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal("/privacy/requests", cancelled.Headers.Location!.OriginalString);
        var notice = shown[shown.IndexOf("<div class=\"alert notice\"", StringComparison.Ordinal)..];
        Assert.Matches($"^[^<]*<[^<]*Cancelled[^<]*{requestId}</div>", notice);
        // A request no longer open offers neither Confirm nor Cancel.
        Assert.DoesNotContain($"requestId={requestId}", shown, StringComparison.Ordinal);
        var view = await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}");
        Assert.Equal("cancelled", view.GetProperty("status").GetString());
        Assert.EndsWith("/request-not-awaiting-confirmation", (await approved.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
    }

    // P4.4 (*reviewer*): the privacy center's sign-out ended the session in the user's grain before it deleted the cookie,
    // and a failure there (the cluster away, the grain's write refused) was an error page that kept the cookie: the next
    // person at that browser was signed in as the user.
    [Fact]
    public async Task P4_4_signing_out_of_the_privacy_center_deletes_the_cookie_even_when_the_users_grain_cannot_write()
    {
        var user = await platform.RegisterUserAsync();
        var browser = await platform.PrivacyCenterAsync(user);
        var everywhereBrowser = await platform.PrivacyCenterAsync(user);
        var token = await browser.FormTokenAsync("/privacy");
        var everywhereToken = await everywhereBrowser.FormTokenAsync("/privacy");

        var (signOut, everywhere) = await platform.Database.WhileRefusingAsync("orleans_storage", $"NEW.grain_id_string = '{user.UserId}' AND NEW.grain_type = 'user'", async () =>
            (await browser.PostAsync("/privacy/signout", Form(token)),
             await everywhereBrowser.PostAsync("/privacy/signout?handler=Everywhere", Form(everywhereToken))));

        AssertSignedOut(signOut);
        AssertSignedOut(everywhere);
        // Nothing of the session is left in either browser: the privacy center sends it to sign in.
        Assert.StartsWith("/privacy/signin", (await browser.GetAsync("/privacy")).Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.StartsWith("/privacy/signin", (await everywhereBrowser.GetAsync("/privacy")).Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    // P4.4 (*reviewer*): the page filter asks the user's grain whether the session is current before any page runs, and only
    // an ended session was its answer; the cluster or the grain unreachable was an error page, the sign-out's included.
    [Fact]
    public async Task P4_4_signing_out_of_the_privacy_center_deletes_the_cookie_even_when_the_session_cannot_be_verified()
    {
        if (PlatformFixture.IsCohosted)
        {
            // The API host's own client carries the failing calls; co-hosted, the silo's does, whose filters are fixed at start.
            return;
        }

        var user = await platform.RegisterUserAsync();
        var unreachable = new UnreachableUserGrain();
        await using var host = platform.Api.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton<IOutgoingGrainCallFilter>(unreachable)));
        var (browser, everywhereBrowser, elsewhere) = (await SignedInAsync(host, user), await SignedInAsync(host, user), await SignedInAsync(host, user));
        var (token, everywhereToken) = (await browser.FormTokenAsync("/privacy"), await everywhereBrowser.FormTokenAsync("/privacy"));

        unreachable.UserId = user.UserId;
        var signOut = await browser.PostAsync("/privacy/signout", Form(token));
        var everywhere = await everywhereBrowser.PostAsync("/privacy/signout?handler=Everywhere", Form(everywhereToken));
        // Any other page still refuses to run on a session it could not verify.
        var otherPage = await elsewhere.GetAsync("/privacy");
        unreachable.UserId = null;

        AssertSignedOut(signOut);
        AssertSignedOut(everywhere);
        Assert.True(unreachable.Refused > 0);
        Assert.True((int)otherPage.StatusCode >= 500, $"{otherPage.StatusCode}");
    }

    // The queue's tabs listed through the API's handler unguarded: a cursor the index never gave out (garbled, or another
    // listing's) answered the API's problem+json in place of the console, where the tickets tab shows its error box.
    [Fact]
    public async Task A_cursor_the_queue_did_not_give_out_is_shown_on_the_console_page_not_as_a_problem_answer()
    {
        var console = await platform.SupportConsoleAsync((await platform.EnrolStaffAsync("客服 丙", "support")).ApiKey);

        foreach (var view in new[] { "open", "overdue" })
        {
            var response = await console.GetAsync($"/console?view={view}&cursor=garbage");

            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{view}: {(int)response.StatusCode} {page}");
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<div class=\"alert error\" role=\"alert\">The cursor is not one this API gave out.</div>", page, StringComparison.Ordinal);
        }
    }

    private static async Task<HttpClient> SignedInAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<MeiLing.Api.ApiAssemblyMarker> host, RegisteredUser user)
    {
        var browser = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/privacy/signin", new() { ["phone"] = user.Phone, ["password"] = user.Password })).StatusCode);
        return browser;
    }

    private static void AssertSignedOut(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/privacy/signin", response.Headers.Location!.OriginalString);
        var session = response.Headers.GetValues("Set-Cookie").Where(cookie => cookie.StartsWith($"{UserSessions.CookieName}=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(session);
        Assert.All(session, deleted =>
        {
            Assert.StartsWith($"{UserSessions.CookieName}=;", deleted, StringComparison.Ordinal);
            Assert.Contains("expires=Thu, 01 Jan 1970", deleted, StringComparison.OrdinalIgnoreCase);
        });
    }

    /// <summary>The user's grain out of reach of an API host, as a silo gone or its network cut: each call to it fails.</summary>
    private sealed class UnreachableUserGrain : IOutgoingGrainCallFilter
    {
        private int _refused;
        private volatile string? _userId;

        public string? UserId
        {
            get => _userId;
            set => _userId = value;
        }

        public int Refused => _refused;

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (UserId is { } userId && context.TargetId.Key.ToString() == userId)
            {
                Interlocked.Increment(ref _refused);
                throw new TimeoutException($"Response did not arrive on time for {context.InterfaceMethod.Name}.");
            }

            return context.Invoke();
        }
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
}
