using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using Microsoft.AspNetCore.Mvc.Testing;
using Orleans.Core.Internal;

namespace MeiLing.Tests.Users;

/// <summary>P4.4 abuse limits per user: requests, tickets and consent changes come in bounded numbers.</summary>
[Collection(PlatformCollection.Name)]
public sealed class QuotaTests(PlatformFixture platform)
{
    [Fact]
    public async Task P4_4_a_user_files_at_most_so_many_data_rights_requests_a_day()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await FileAccessRequestsAsync(client, user.UserId, UserQuotas.RequestsPerDay);

        var refused = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" });

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    // P4.1, P8.1 (*reviewer*): a copied session (which may file no deletion or cancellation: both need a recent sign-in)
    // spent the day's requests on access requests, and the owner's cancellation was 429 for a day.
    [Fact]
    public async Task P4_1_a_cancellation_is_filed_after_a_session_spent_the_days_requests()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await FileAccessRequestsAsync(client, user.UserId, UserQuotas.RequestsPerDay);

        var anotherAccess = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "access" });
        var cancellation = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "cancellation" });

        await anotherAccess.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(cancellation.IsSuccessStatusCode, await cancellation.Content.ReadAsStringAsync());
    }

    // P4.4: a top-up writes a takings row kept for good and rewrites the card; a cashier's only bound was an amount, and a
    // manager's or the merchant key's none, so 1-fen top-ups in a loop grew the merchant's takings without end.
    [Fact]
    public async Task P4_4_one_merchants_keys_together_make_a_days_allowance_of_top_ups_and_no_more()
    {
        var shop = await platform.OpenShopAsync();
        for (var taken = 0; taken < TestSiloConfigurator.TopUpsPerMerchantPerDay; taken += 10)
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(10, TestSiloConfigurator.TopUpsPerMerchantPerDay - taken)).Select(_ => shop.TopUpAsync(1)));
        }

        var refused = await shop.MerchantClient.PostAsJsonAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups", new { amountFen = 1 });

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(TestSiloConfigurator.TopUpsPerMerchantPerDay, await shop.BalanceAsync());
    }

    // P4.4: a session flipping its nickname at the user's 5,000 calls a second rewrote the user's sealed state at each.
    [Fact]
    public async Task P4_4_a_user_corrects_their_profile_a_days_allowance_of_times_and_a_correction_changing_nothing_counts_nothing()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        for (var change = 0; change < UserQuotas.ProfileCorrectionsPerDay; change++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/v1/users/{user.UserId}", new { nickname = $"name-{change % 2}" })).StatusCode);
        }

        var unchanged = await client.PatchAsJsonAsync($"/v1/users/{user.UserId}", new { nickname = $"name-{(UserQuotas.ProfileCorrectionsPerDay - 1) % 2}" });
        var beyond = await client.PatchAsJsonAsync($"/v1/users/{user.UserId}", new { nickname = "one-more" });

        Assert.Equal(HttpStatusCode.OK, unchanged.StatusCode);
        var problem = await beyond.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.NotEqual("one-more", (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}")).GetProperty("nickname").GetString());
    }

    // P4.4 (*reviewer*): turning the member-card code on and off rewrote the user's whole sealed record at each change,
    // bounded by nothing but the session's rate. Turning it off shares the profile's day; turning it on is never refused.
    [Fact]
    public async Task P4_4_a_user_turns_the_member_card_code_off_a_days_allowance_of_times_then_429_and_it_stays_on()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var protection = $"/v1/users/{user.UserId}/member-card-protection";
        for (var cycle = 0; cycle < UserQuotas.ProfileCorrectionsPerDay; cycle++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync(protection, new { codeAlways = true })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync(protection, new { codeAlways = false })).StatusCode);
        }

        var on = await client.PutAsJsonAsync(protection, new { codeAlways = true });
        var offAgain = await client.PutAsJsonAsync(protection, new { codeAlways = false });

        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.EndsWith("/quota-exceeded", (await offAgain.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.True((await client.GetFromJsonAsync<JsonElement>(protection)).GetProperty("codeAlways").GetBoolean());
    }

    [Fact]
    public async Task P8_1_support_filings_do_not_spend_the_users_own_allowance()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Busy", "support")).ApiKey);
        var byPhone = new { type = "access", reason = "caller asked by phone", verification = "SMS code to the registered number" };
        for (var i = 0; i < UserQuotas.SupportRequestsPerDay; i++)
        {
            var filed = await support.FileRequestAsync(user.UserId, byPhone);
            if ((await support.PostAsync($"/v1/requests/{filed.RequestId()}/cancellation", null)).StatusCode != HttpStatusCode.OK)
            {
                await support.WaitUntilDoneAsync(filed.RequestId());
            }
        }

        var supportAgain = await support.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", byPhone);
        var own = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", new { type = "cancellation" });

        await supportAgain.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(own.StatusCode == HttpStatusCode.Accepted, await own.Content.ReadAsStringAsync());
    }

    // A filing the user's grain refused (a request of that type still open) was counted against the agent's daily
    // allowance and the user's support allowance all the same: a few refusals spent them, and nothing had been filed.
    [Fact]
    public async Task P1_7_P4_4_a_support_filing_refused_as_a_duplicate_spends_neither_the_agents_allowance_nor_the_users()
    {
        var agent = platform.Client((await platform.EnrolStaffAsync("Agent Duplicates", "support")).ApiKey);
        var user = await platform.RegisterUserAsync();
        var other = await platform.RegisterUserAsync();
        // A deletion filed by support waits for the user's confirmation: it stays open, and each filing after it is a duplicate.
        var deletion = new { type = "deletion", details = new { categories = new[] { "addresses" } }, reason = "caller asked by phone", verification = "SMS code to the registered number" };
        await agent.FileRequestAsync(user.UserId, deletion);

        var refusals = new List<HttpResponseMessage>();
        for (var i = 0; i < TestSiloConfigurator.SupportFilingsPerDay; i++)
        {
            refusals.Add(await agent.PostAsJsonAsync($"/v1/users/{user.UserId}/requests", deletion));
        }

        var forAnother = await agent.PostAsJsonAsync($"/v1/users/{other.UserId}/requests", deletion);

        foreach (var refused in refusals)
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.EndsWith("/duplicate-request", problem.TypeOf(), StringComparison.Ordinal);
        }

        Assert.True(forAnother.StatusCode == HttpStatusCode.Accepted, await forAnother.Content.ReadAsStringAsync());
    }

    // The per-user allowance above stops an agent at 10 filings for one user; one key filing for user after user
    // texted each a confirmation code and queued each for 7 days. The agent's own count is kept in their staff grain,
    // one for the cluster, so no number of API hosts multiplies it.
    [Fact]
    public async Task P1_7_P4_4_one_support_key_files_at_most_so_many_requests_a_day_across_users_then_429_and_nothing_is_filed_or_texted()
    {
        var flooder = platform.Client((await platform.EnrolStaffAsync("Agent Flood", "support")).ApiKey);
        var colleague = platform.Client((await platform.EnrolStaffAsync("Agent Colleague", "support")).ApiKey);
        var byPhone = new { type = "access", reason = "caller asked by phone", verification = "SMS code to the registered number" };
        for (var filed = 0; filed < TestSiloConfigurator.SupportFilingsPerDay;)
        {
            var user = await platform.RegisterUserAsync();
            for (var i = 0; i < UserQuotas.SupportRequestsPerDay && filed < TestSiloConfigurator.SupportFilingsPerDay; i++, filed++)
            {
                await CancelOrFinishAsync(flooder, (await flooder.FileRequestAsync(user.UserId, byPhone)).RequestId());
            }
        }

        var next = await platform.RegisterUserAsync();
        var cancellation = new { type = "cancellation", reason = "caller asked by phone", verification = "SMS code to the registered number" };
        var refused = await flooder.PostAsJsonAsync($"/v1/users/{next.UserId}/requests", cancellation);

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        var requests = await colleague.GetFromJsonAsync<JsonElement>($"/v1/users/{next.UserId}/requests");
        Assert.Empty(requests.GetProperty("items").EnumerateArray());
        Assert.Equal(0, await ConfirmationTextsAsync(next.Phone));
        // The limit is the agent's, not support's: a colleague's key files for the same user, and the user is texted.
        await colleague.FileRequestAsync(next.UserId, cancellation);
        Assert.Equal(1, await ConfirmationTextsAsync(next.Phone));
    }

    private async Task<int> ConfirmationTextsAsync(string phone) =>
        (await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/sandbox/sms?phone={phone}")).GetProperty("items")
            .EnumerateArray().Count(sms => sms.GetProperty("purpose").GetString() == "confirm-request");

    // Cancelled at once, or finished when it had already started, so the next filing for the user is no duplicate.
    private static async Task CancelOrFinishAsync(HttpClient client, string requestId)
    {
        if ((await client.PostAsync($"/v1/requests/{requestId}/cancellation", null)).StatusCode != HttpStatusCode.OK)
        {
            await client.WaitUntilDoneAsync(requestId);
        }
    }

    [Fact]
    public async Task P4_4_a_user_opens_at_most_so_many_tickets_a_day()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        for (var i = 0; i < UserQuotas.TicketsPerDay; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = $"s{i}", message = "m" })).StatusCode);
        }

        var refused = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "one more", message = "m" });

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    // As with requests (P8_1_support_filings_…): tickets an agent opens for the user come from an allowance of their
    // own, so an agent (or a script with a support key) opening ten tickets cannot keep the user from opening one
    // that day, and a user who opened ten cannot keep support from opening one for them.
    [Fact]
    public async Task P1_7_P4_4_tickets_support_opens_for_a_user_do_not_spend_the_users_own_allowance()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Ticketing", "support")).ApiKey);
        for (var i = 0; i < UserQuotas.SupportTicketsPerDay; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await support.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = $"call {i}", message = "caller phoned in" })).StatusCode);
        }

        var supportAgain = await support.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "one more", message = "m" });
        var own = await client.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "my own", message = "m" });

        var problem = await supportAgain.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.True(own.StatusCode == HttpStatusCode.Created, await own.Content.ReadAsStringAsync());
    }

    // P1.7, P4.4: support's tickets were counted per user only, so one support key went from user to user writing
    // tickets (2,000 characters each, then messages up to 100,000) into every account it could name.
    [Fact]
    public async Task P1_7_P4_4_one_support_agent_opens_a_days_allowance_of_tickets_across_all_users_and_no_more()
    {
        var agent = platform.Client((await platform.EnrolStaffAsync("Agent Everywhere", "support")).ApiKey);
        var another = platform.Client((await platform.EnrolStaffAsync("Agent Elsewhere", "support")).ApiKey);
        for (var i = 0; i < TestSiloConfigurator.SupportTicketsPerDay; i++)
        {
            var reached = await platform.RegisterUserAsync();
            Assert.Equal(HttpStatusCode.Created, (await agent.PostAsJsonAsync($"/v1/users/{reached.UserId}/tickets", new { subject = "call", message = "caller phoned in" })).StatusCode);
        }

        var user = await platform.RegisterUserAsync();
        var beyond = await agent.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "one more", message = "m" });
        var linkedAfter = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_tickets WHERE user_id = $1", user.UserId);
        var byAnother = await another.PostAsJsonAsync($"/v1/users/{user.UserId}/tickets", new { subject = "callback", message = "m" });

        Assert.EndsWith("/quota-exceeded", (await beyond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(0L, linkedAfter);
        Assert.Equal(HttpStatusCode.Created, byAnother.StatusCode);
    }

    // P1.7, P4.4: each support call writes an audit entry kept for good before it runs; held only to 20 a second, one
    // agent's key (a script holding it) wrote 1.7 million entries a day.
    [Fact]
    public async Task P1_7_P4_4_one_support_agent_makes_a_days_allowance_of_audited_calls_and_no_more()
    {
        var user = await platform.RegisterUserAsync();
        var busy = await platform.EnrolStaffAsync("Agent Busy", "support");
        var agent = platform.Client(busy.ApiKey);
        var another = platform.Client((await platform.EnrolStaffAsync("Agent Fresh", "support")).ApiKey);
        var console = platform.Api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await console.PostFormAsync("/console/signin", new() { ["apiKey"] = busy.ApiKey });
        // The sign-in and the console page the agent has open (its sign-out button's token): the day's first two calls.
        var signOutToken = await console.FormTokenAsync("/console");
        await Parallel.ForEachAsync(Enumerable.Range(2, TestSiloConfigurator.SupportCallsPerDay - 2), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, ct) => Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/v1/users/{user.UserId}", ct)).StatusCode));
        var entriesBefore = await AgentEntriesAsync(busy.StaffId);

        var beyond = await agent.GetAsync($"/v1/users/{user.UserId}");
        var onAnAnonymousRoute = await agent.GetAsync("/v1/policies/current");
        var onTheProbe = await agent.GetAsync("/v1/ping");
        var onTheConsole = await console.GetAsync("/console");
        var entriesAfter = await AgentEntriesAsync(busy.StaffId);
        var byAnother = await another.GetAsync($"/v1/users/{user.UserId}");
        var signOut = await console.PostAsync("/console/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = signOutToken }));
        // Signing in again, to sign out again, does not write on past the day either.
        var signInAgain = await console.PostFormAsync("/console/signin", new() { ["apiKey"] = busy.ApiKey });

        Assert.EndsWith("/quota-exceeded", (await beyond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(beyond.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, onAnAnonymousRoute.StatusCode);
        // The probe reads nobody's data: neither counted nor written (unlimited, it wrote rows at wire speed).
        Assert.Equal(HttpStatusCode.OK, onTheProbe.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, onTheConsole.StatusCode);
        Assert.Equal(entriesBefore, entriesAfter);
        Assert.Equal(HttpStatusCode.OK, byAnother.StatusCode);
        // Past the day the agent still ends their session.
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith("/console/signin", signOut.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, signInAgain.StatusCode);
        // Past the day the sign-out is not written either, so a loop of it (with the key, or as a GET) writes nothing.
        for (var i = 0; i < 3; i++)
        {
            await agent.GetAsync("/console/signout");
        }

        Assert.Equal(entriesBefore, await AgentEntriesAsync(busy.StaffId));
    }

    private Task<long> AgentEntriesAsync(string staffId) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE actor_id = $1", staffId);

    [Fact]
    public async Task P4_4_consent_changes_per_minute_are_bounded()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        HttpResponseMessage? last = null;
        // Grants are counted (withdrawals of what is granted never are, P1.2): one past the minute's, with one between each.
        for (var i = 0; i <= 2 * new MeiLing.Grains.Privacy.PrivacySettings().ConsentChangesPerMinute; i++)
        {
            last = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/marketing-sharing", new { granted = i % 2 == 0, policyVersion = version });
        }

        await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    // P4.4 (*reviewer*): a grant naming a version never published was counted, then refused: a copied session spent the
    // owner's minute and day of changes without a receipt. It is refused before anything is counted.
    [Fact]
    public async Task P4_4_a_consent_change_naming_a_version_never_published_counts_against_nothing()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var refused = new List<HttpStatusCode>();
        for (var i = 0; i <= new MeiLing.Grains.Privacy.PrivacySettings().ConsentChangesPerMinute; i++)
        {
            refused.Add((await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/marketing-sharing", new { granted = true, policyVersion = "never-published" })).StatusCode);
        }

        var granted = await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/marketing-sharing", new { granted = true, policyVersion = version });

        Assert.All(refused, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
    }

    [Fact]
    public async Task P4_4_a_user_downloads_their_export_at_most_so_many_times_an_hour()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var access = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(access.RequestId());
        for (var i = 0; i < UserQuotas.ExportDownloadsPerHour; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/requests/{access.RequestId()}/export")).StatusCode);
        }

        // The count outlasts the user's activation: collected after 15 idle minutes, it came back with none, and each
        // download gathers everything the user has.
        await platform.Grains.GetGrain<IUserGrain>(user.UserId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var refused = await client.GetAsync($"/v1/requests/{access.RequestId()}/export?format=html");

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task P4_4_location_samples_per_minute_are_bounded()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "location", true, version);
        var allowed = new MeiLing.Grains.Privacy.PrivacySettings().LocationSamplesPerMinute;
        for (var i = 0; i < allowed; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostLocationAsync(user.UserId)).StatusCode);
        }

        var refused = await client.PostLocationAsync(user.UserId);

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(allowed, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_location_samples WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task P4_4_the_consent_history_is_a_page_at_a_time_and_the_pages_join_up_oldest_first()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var receipts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            receipts.Add((await client.SetConsentAsync(user.UserId, "marketing-sharing", i % 2 == 0, version)).ReceiptId);
        }

        var (pages, seen) = await ReadPagesOfTwoAsync(client, $"/v1/users/{user.UserId}/consents/history", "receiptId");

        Assert.Equal(3, pages);
        Assert.Equal(receipts, seen);
        await (await client.GetAsync($"/v1/users/{user.UserId}/consents/history?limit=501")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/v1/users/{user.UserId}/consents/history?cursor=-1")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task P4_4_the_users_requests_are_a_page_at_a_time_and_the_pages_join_up_oldest_first()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var filed = await FileAccessRequestsAsync(client, user.UserId, 3);

        var (pages, seen) = await ReadPagesOfTwoAsync(client, $"/v1/users/{user.UserId}/requests", "requestId");

        Assert.Equal(2, pages);
        Assert.Equal(filed, seen);
        await (await client.GetAsync($"/v1/users/{user.UserId}/requests?limit=101")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync($"/v1/users/{user.UserId}/requests?cursor=-1")).AssertProblemAsync(HttpStatusCode.BadRequest);

        // An API host of the previous release, during a rolling upgrade, still lists them: the oldest page.
        var previousRelease = await platform.Grains.GetGrain<IDataRightsRequestsGrain>(0).OfUserFirstPage(user.UserId);
        Assert.Equal(filed, previousRelease.Select(r => r.RequestId));
    }

    [Fact]
    public async Task P1_10_a_consent_change_that_changes_nothing_writes_no_new_receipt()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var first = await client.SetConsentAsync(user.UserId, "personalization", true, version);
        var again = await client.SetConsentAsync(user.UserId, "personalization", true, version);

        Assert.Equal(first.ReceiptId, again.ReceiptId);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM consent_receipts WHERE user_id = $1", user.UserId));
        var history = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/consents/history");
        Assert.Equal(1, history.GetProperty("items").GetArrayLength());
    }

    // Files access requests one after another, each cancelled (or finished) before the next, so none is a duplicate.
    private static async Task<IReadOnlyList<string>> FileAccessRequestsAsync(HttpClient client, string userId, int count)
    {
        var filed = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var requestId = (await client.FileRequestAsync(userId, new { type = "access" })).RequestId();
            await CancelOrFinishAsync(client, requestId);
            filed.Add(requestId);
        }

        return filed;
    }

    // Follows nextCursor through pages of two; each page holds one or two items.
    private static async Task<(int Pages, IReadOnlyList<string> Ids)> ReadPagesOfTwoAsync(HttpClient client, string path, string idProperty)
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"{path}?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty(idProperty).GetString()!).ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        return (pages, seen);
    }
}
