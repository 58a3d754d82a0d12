using System.Net.Http.Headers;
using System.Text.Json;
using MeiLing.Api;
using MeiLing.Grains.Activity;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.Tokens;

namespace MeiLing.Tests.Api;

/// <summary>
/// P4.4 abuse limits, each on its own API host with small limits over the shared cluster (the shared
/// host's limits are generous so no other test meets them).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RateLimitTests(PlatformFixture platform)
{
    [Fact]
    public async Task P4_4_sign_ups_and_sign_ins_beyond_the_per_address_allowance_get_429_with_retry_after()
    {
        await using var api = Limited("RATE_LIMIT_CREDENTIALS_PER_MINUTE", "3");
        var client = api.CreateClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var allowed = await client.PostAsJsonAsync("/v1/sessions", new { phone = UserApiClient.NewPhone(), password = "whatever it is" });
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        var signIn = await client.PostAsJsonAsync("/v1/sessions", new { phone = UserApiClient.NewPhone(), password = "whatever it is" });
        var signUp = await client.PostAsJsonAsync("/v1/users", new { phone = UserApiClient.NewPhone(), password = "long enough", nickname = "x" });

        await AssertRateLimitedAsync(signIn);
        await AssertRateLimitedAsync(signUp);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/policies")).StatusCode);
    }

    [Fact]
    public async Task P4_4_an_api_key_beyond_its_rate_gets_429_and_other_keys_are_unaffected()
    {
        var merchant = await platform.CreateMerchantAsync("Rate limited");
        await using var api = Limited("RATE_LIMIT_PER_SECOND", "3");
        var greedy = api.CreateClient();
        greedy.DefaultRequestHeaders.Add("X-Api-Key", PlatformFixture.OperatorKey);

        var responses = await Burst(greedy, $"/v1/merchants/{merchant.MerchantId}", 20);
        var other = api.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", merchant.ApiKey);

        await AssertRateLimitedAsync(responses.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/v1/merchants/{merchant.MerchantId}")).StatusCode);
    }

    // P4.4: a merchant enrols up to 10,000 staff, and each key had a bucket of its own: ten thousand keys' worth of
    // requests from one merchant.
    [Fact]
    public async Task P4_4_a_merchants_keys_share_one_rate_so_more_staff_keys_bring_no_more_requests()
    {
        var (merchant, firstTill, secondTill) = await MerchantWithTwoTillsAsync("Many Tills");
        var otherMerchant = await platform.CreateMerchantAsync("Next Door");
        await using var api = Limited("RATE_LIMIT_PER_MERCHANT_PER_SECOND", "3");

        var first = await Burst(Keyed(api, firstTill.ApiKey), $"/v1/merchants/{merchant.MerchantId}", 10);
        var second = await Burst(Keyed(api, secondTill.ApiKey), $"/v1/merchants/{merchant.MerchantId}", 10);

        Assert.Equal(HttpStatusCode.OK, first[0].StatusCode);
        await AssertRateLimitedAsync(second.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, (await Keyed(api, otherMerchant.ApiKey).GetAsync($"/v1/merchants/{otherMerchant.MerchantId}")).StatusCode);
    }

    // P4.4: one till's key, a runaway script or a dishonest cashier's, spent its merchant's whole shared bucket, and every
    // other till and the merchant's own back office got 429 until that key was revoked.
    [Fact]
    public async Task P4_4_one_tills_key_cannot_spend_its_merchants_whole_rate()
    {
        var (merchant, runawayTill, otherTill) = await MerchantWithTwoTillsAsync("Busy Tills");
        await using var api = platform.Api.WithWebHostBuilder(web => web
            .UseSetting("RATE_LIMIT_PER_MERCHANT_PER_SECOND", "10")
            .UseSetting("RATE_LIMIT_PER_STAFF_KEY_PER_SECOND", "3"));

        var runaway = await Burst(Keyed(api, runawayTill.ApiKey), $"/v1/merchants/{merchant.MerchantId}", 12);
        var other = await Keyed(api, otherTill.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}");
        var backOffice = await Keyed(api, merchant.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}");

        await AssertRateLimitedAsync(runaway.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, backOffice.StatusCode);
    }

    // P4.4: a user's location samples, activity log and disclosures each open up to a thousand sealed rows, and a user's loop
    // on them spent only the 5,000 calls a second every call shares: the silo opened millions of rows a second for one user.
    // P3.2, P4.4 (*reviewer*): every objection to a transfer takes a turn on the transfer's one grain, repeats included; one
    // customer's loop of them held up the others' objections near the date, each a right lost if it timed out.
    [Fact]
    public async Task P3_2_P4_4_a_users_loop_of_objections_to_a_transfer_is_429_past_their_heavy_bucket_and_another_customer_still_objects()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var other = await platform.RegisterUserAsync();
        await (shop with { Customer = other }).PlaceOrderAsync();
        var successor = await platform.CreateMerchantAsync("Objected Successor");
        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
            new { successorMerchantId = successor.MerchantId, effectiveAt = platform.Clock.GetUtcNow().AddDays(31) });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var objections = $"/v1/transfers/{(await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetString()}/objections";
        var session = await platform.SignInAsync(shop.Customer);
        var otherSession = await platform.SignInAsync(other);
        await using var api = Limited("RATE_LIMIT_HEAVY_READS_PER_SECOND", "3");
        var looping = Bearer(api, session.Token);

        var repeated = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => looping.PostAsync(objections, null)));
        var othersObjection = await Bearer(api, otherSession.Token).PostAsync(objections, null);

        Assert.Contains(repeated, response => response.StatusCode == HttpStatusCode.Created);
        await AssertRateLimitedAsync(repeated.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.Created, othersObjection.StatusCode);
    }

    // P4.4 (*reviewer*): every key of a merchant read heavily on one bucket, spent before authorization: a cashier's loop on
    // the reports it may not read (403 each) left the owner 429 on its staff list, where it finds keys minted behind its back.
    [Fact]
    public async Task P4_4_a_cashiers_loop_of_heavy_reads_leaves_the_owners_staff_list_and_reports_alone()
    {
        var till = await platform.OpenTillAsync("Heavy Reads Apart");
        await using var api = Limited("RATE_LIMIT_HEAVY_READS_PER_SECOND", "3");
        var cashier = Keyed(api, (await till.Owner.EnrolAsync(till.MerchantId, "Looping Cashier", "cashier")).ApiKey);

        var refused = await Burst(cashier, $"/v1/merchants/{till.MerchantId}/reports/daily?date=2026-12-01", 10);
        var ownersStaffList = await Keyed(api, till.Merchant.ApiKey).GetAsync($"/v1/merchants/{till.MerchantId}/staff");
        var ownersReport = await Keyed(api, till.Merchant.ApiKey).GetAsync($"/v1/merchants/{till.MerchantId}/reports/daily?date=2026-12-01");

        Assert.Contains(refused, response => response.StatusCode == HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, ownersStaffList.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownersReport.StatusCode);
    }

    // P4.4, P1.7 (*reviewer*): a cashier's key read customers' orders (names, phones, addresses) at the merchant's whole
    // rate: a till could copy every customer's details in minutes. Staff keys read orders at their heavy-reads rate; the
    // merchant's own key (its back office) and the user are not held by it.
    [Fact]
    public async Task P4_4_P1_7_a_cashiers_key_reads_customers_orders_at_its_heavy_reads_rate()
    {
        var shop = await platform.OpenShopAsync();
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        var cashierKey = (await shop.MerchantClient.EnrolAsync(shop.Merchant.MerchantId, "Copying Cashier", "cashier")).ApiKey;
        await using var api = Limited("RATE_LIMIT_HEAVY_READS_PER_SECOND", "3");

        var byCashier = await Burst(Keyed(api, cashierKey), $"/v1/orders/{order.Id()}", 10);
        var listedByCashier = await Burst(Keyed(api, cashierKey), $"/v1/merchants/{shop.Merchant.MerchantId}/orders", 10);
        var byOwner = await Burst(Keyed(api, shop.Merchant.ApiKey), $"/v1/orders/{order.Id()}", 10);

        Assert.Equal(HttpStatusCode.OK, byCashier[0].StatusCode);
        await AssertRateLimitedAsync(byCashier.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Contains(listedByCashier, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(byOwner, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    // P4.4, A.2 (*reviewer*): the product list (up to 500 stock grains a page) and a customer's card balance were read by a
    // cashier's key at its whole rate. Staff keys read both at their heavy-reads rate; the merchant's own key does not.
    [Fact]
    public async Task P4_4_a_cashiers_key_reads_the_product_list_and_card_balances_at_its_heavy_reads_rate()
    {
        var shop = await platform.OpenShopAsync();
        var cashierKey = (await shop.MerchantClient.EnrolAsync(shop.Merchant.MerchantId, "Listing Cashier", "cashier")).ApiKey;
        await using var api = Limited("RATE_LIMIT_HEAVY_READS_PER_SECOND", "3");
        var products = $"/v1/merchants/{shop.Merchant.MerchantId}/products?limit=500";
        var card = $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}";

        var listedByCashier = await Burst(Keyed(api, cashierKey), products, 10);
        var cardsByCashier = await Burst(Keyed(api, cashierKey), card, 10);
        var listedByOwner = await Burst(Keyed(api, shop.Merchant.ApiKey), products, 10);

        Assert.Equal(HttpStatusCode.OK, listedByCashier[0].StatusCode);
        await AssertRateLimitedAsync(listedByCashier.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Contains(cardsByCashier, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(listedByOwner, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    [Fact]
    public async Task P4_4_a_users_heavy_reads_have_a_small_rate_of_their_own_and_leave_the_users_other_calls_alone()
    {
        var user = await platform.RegisterUserAsync();
        var other = await platform.RegisterUserAsync();
        var session = await platform.SignInAsync(user);
        var otherSession = await platform.SignInAsync(other);
        await using var api = Limited("RATE_LIMIT_HEAVY_READS_PER_SECOND", "3");
        var client = Bearer(api, session.Token);
        (await client.PutAsJsonAsync($"/v1/users/{user.UserId}/consents/location", new { granted = true, policyVersion = await platform.CurrentPolicyVersionAsync() })).EnsureSuccessStatusCode();
        var browser = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/privacy/signin", new() { ["phone"] = user.Phone, ["password"] = user.Password })).StatusCode);
        var formToken = await browser.FormTokenAsync("/privacy");

        var looping = await Burst(client, $"/v1/users/{user.UserId}/locations", 10);
        var activity = await Burst(client, $"/v1/users/{user.UserId}/activity", 10);
        var disclosures = await Burst(client, $"/v1/users/{user.UserId}/disclosures", 10);
        // *reviewer*: the audit log, the largest table, read with a ticket lookup per entry.
        var accessLog = await Burst(client, $"/v1/users/{user.UserId}/access-log", 10);
        // *reviewer*: the consent receipts, up to 500 a page.
        var consentHistory = await Burst(client, $"/v1/users/{user.UserId}/consents/history", 10);
        // Lists that wake a grain per item: the user's requests, a merchant's staff.
        var requests = await Burst(client, $"/v1/users/{user.UserId}/requests", 10);
        var merchant = await platform.CreateMerchantAsync("Staff List Loop");
        var staff = await Burst(Keyed(api, merchant.ApiKey), $"/v1/merchants/{merchant.MerchantId}/staff", 10);
        // Aggregates over the shared database: a merchant's daily reports, the operator's analytics export.
        var reports = await Burst(Keyed(api, merchant.ApiKey), $"/v1/merchants/{merchant.MerchantId}/reports/daily?date=2026-12-01", 10);
        var analytics = await Burst(Keyed(api, PlatformFixture.OperatorKey), "/v1/analytics/sales?from=2026-12-01&to=2026-12-01", 10);
        // *reviewer*: the outbox of a merchant, searched by status; the inbox with every published policy version.
        var deliveries = await Burst(Keyed(api, merchant.ApiKey), $"/v1/merchants/{merchant.MerchantId}/webhook-deliveries?status=failed", 10);
        var notifications = await Burst(client, $"/v1/users/{user.UserId}/notifications", 10);
        // The privacy center's page opens the same ledger: it spends the same bucket, and its consent form posts spend none.
        var pages = await Burst(browser, "/privacy", 10);
        var withdrawn = await browser.PostAsync("/privacy?handler=Consent", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["purpose"] = "location", ["granted"] = "false", ["__RequestVerificationToken"] = formToken,
        }));
        // A form the page refuses (no choice, no such purpose) goes back to the page's GET rather than reading the page's
        // ledger and receipts itself: looped, it had the page's reads outside the heavy reads' bucket.
        var refusedForms = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => browser.PostAsync("/privacy?handler=Consent",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["purpose"] = "no-such-purpose", ["__RequestVerificationToken"] = formToken }))));
        var profile = await client.GetAsync($"/v1/users/{user.UserId}");
        var othersRead = await Bearer(api, otherSession.Token).GetAsync($"/v1/users/{other.UserId}/disclosures");

        Assert.Equal(HttpStatusCode.OK, looping[0].StatusCode);
        await AssertRateLimitedAsync(looping.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Contains(activity, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(disclosures, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(accessLog, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(consentHistory, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(requests, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(staff, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(reports, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(analytics, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(deliveries, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(notifications, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(pages, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, withdrawn.StatusCode);
        Assert.All(refusedForms, refused => Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode));
        Assert.Contains("\"purpose\":\"location\",\"granted\":false", await (await platform.AsUserAsync(user)).GetStringAsync($"/v1/users/{user.UserId}/consents"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, othersRead.StatusCode);
    }

    // P1.7, P4.4: every support call writes a lasting audit row before it runs; at an API key's rate one agent's key wrote
    // rows without end and queued every other audited action behind the log.
    [Fact]
    public async Task P1_7_P4_4_one_support_agent_calling_in_a_loop_is_held_to_a_persons_pace()
    {
        var user = await platform.RegisterUserAsync();
        var looping = await platform.EnrolStaffAsync("Agent Loop", "support");
        var other = await platform.EnrolStaffAsync("Agent Calm", "support");
        await using var api = Limited("RATE_LIMIT_SUPPORT_PER_SECOND", "3");

        var responses = await Burst(Keyed(api, looping.ApiKey), $"/v1/users/{user.UserId}", 12);
        var othersCall = await Keyed(api, other.ApiKey).GetAsync($"/v1/users/{user.UserId}");

        await AssertRateLimitedAsync(responses.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, othersCall.StatusCode);
    }

    [Fact]
    public async Task P4_4_each_signed_in_user_has_a_rate_of_their_own()
    {
        var greedyUser = await platform.RegisterUserAsync();
        var otherUser = await platform.RegisterUserAsync();
        var greedySession = await platform.SignInAsync(greedyUser);
        var otherSession = await platform.SignInAsync(otherUser);
        await using var api = Limited("RATE_LIMIT_PER_SECOND", "3");

        var responses = await Burst(Bearer(api, greedySession.Token), $"/v1/users/{greedyUser.UserId}/consents", 20);

        await AssertRateLimitedAsync(responses.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, (await Bearer(api, otherSession.Token).GetAsync($"/v1/users/{otherUser.UserId}/consents")).StatusCode);
    }

    // P4.4: whoever holds a signed-out token (a thief, a shared computer) spent the user's own bucket with it, 401 after
    // 401, and the user's live session was refused 429 meanwhile.
    [Fact]
    public async Task P4_4_a_signed_out_token_does_not_spend_the_users_own_rate()
    {
        var user = await platform.RegisterUserAsync();
        var signedOut = await platform.SignInAsync(user);
        var live = await platform.SignInAsync(user);
        await using var api = Limited("RATE_LIMIT_PER_SECOND", "3");
        Assert.Equal(HttpStatusCode.NoContent, (await Bearer(api, signedOut.Token).DeleteAsync("/v1/sessions/current")).StatusCode);
        var thief = Bearer(api, signedOut.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync($"/v1/users/{user.UserId}/consents")).StatusCode);

        var flood = await Burst(thief, $"/v1/users/{user.UserId}/consents", 20);
        var owner = await Bearer(api, live.Token).GetAsync($"/v1/users/{user.UserId}/consents");

        Assert.DoesNotContain(flood, response => response.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task P4_4_a_signed_in_users_spent_rate_comes_back_the_next_second()
    {
        var user = await platform.RegisterUserAsync();
        var session = await platform.SignInAsync(user);
        await using var api = Limited("RATE_LIMIT_PER_SECOND", "3");
        var client = Bearer(api, session.Token);

        var responses = await Burst(client, $"/v1/users/{user.UserId}/consents", 20);
        Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.TooManyRequests);

        // A limit, not a lock-out: the bucket refills each second.
        await Polling.UntilAsync(async () => (await client.GetAsync($"/v1/users/{user.UserId}/consents")).StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task P4_4_anonymous_callers_are_limited_by_address_but_probes_and_ping_never_are()
    {
        await using var api = Limited("RATE_LIMIT_ANONYMOUS_PER_SECOND", "3");
        var client = api.CreateClient();

        var limited = await Burst(client, "/v1/policies", 20);
        var ping = await Burst(client, "/v1/ping", 20);
        var health = await Burst(client, "/health/live", 20);

        await AssertRateLimitedAsync(limited.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(ping.Concat(health), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    // P1.3, P4.4: a signed-in user's token on the ping was never limited, and each request asked the user's grain about its
    // session and wrote an activity entry: a loop of it filled the host's activity queue, and other users' entries were dropped.
    [Fact]
    public async Task P1_3_P4_4_a_signed_in_users_pings_spend_the_users_rate_and_write_nothing_into_their_activity_log()
    {
        var user = await platform.RegisterUserAsync();
        var session = await platform.SignInAsync(user);
        await using var api = Limited("RATE_LIMIT_PER_SECOND", "3");
        var client = Bearer(api, session.Token);

        var pings = await Burst(client, "/v1/ping?q=loop", 20);
        await Polling.UntilAsync(async () => (await client.GetAsync($"/v1/users/{user.UserId}/consents")).StatusCode == HttpStatusCode.OK);
        var logged = await Polling.UntilAsync(
            () => platform.Grains.GetGrain<IActivityLogGrain>(0).GetUserActivity(user.UserId, 1000),
            entries => entries.Any(entry => entry.Path.EndsWith("/consents", StringComparison.Ordinal)));

        await AssertRateLimitedAsync(pings.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.DoesNotContain(logged, entry => entry.Path == "/v1/ping");
    }

    [Fact]
    public async Task P4_4_wrong_api_keys_count_against_the_address_they_come_from()
    {
        await using var api = Limited("RATE_LIMIT_ANONYMOUS_PER_SECOND", "3");
        var responses = new List<HttpResponseMessage>();
        for (var guess = 0; guess < 20; guess++)
        {
            var client = api.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", $"mk_guess_{guess}");
            responses.Add(await client.GetAsync("/v1/policies"));
        }

        await AssertRateLimitedAsync(responses.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task P4_4_an_address_that_spent_its_failed_authentications_gets_429_for_further_wrong_ones_but_a_valid_key_still_works()
    {
        var merchant = await platform.CreateMerchantAsync("Behind one NAT");
        await using var api = Limited("RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "3");
        // The neighbour's till was at work before the guesses began: its key is one this host knows as valid.
        Assert.Equal(HttpStatusCode.OK, (await ApiKeyGuessingTests.Client(api, merchant.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}")).StatusCode);
        for (var guess = 0; guess < 2; guess++)
        {
            await (await ApiKeyGuessingTests.Client(api, ApiKeyGuessingTests.WellShapedGuess()).GetAsync("/v1/merchants/mer_x")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        await (await Bearer(api, "not.a.token").GetAsync("/v1/users/usr_x/consents")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var spentKey = await ApiKeyGuessingTests.Client(api, ApiKeyGuessingTests.WellShapedGuess()).GetAsync("/v1/merchants/mer_x");
        var spentToken = await Bearer(api, "not.a.token").GetAsync("/v1/users/usr_x/consents");
        var anonymous = await api.CreateClient().GetAsync("/v1/policies");
        var neighbour = await ApiKeyGuessingTests.Client(api, merchant.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}");

        await AssertRateLimitedAsync(spentKey);
        await AssertRateLimitedAsync(spentToken);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
    }

    // The probes and the ping are exempt from the rates, not from the failed-authentication limit: a wrong key sent to
    // them, or to a path beneath them, is looked up as on any route, so a guesser there meets the limit too.
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/zzz")]
    [InlineData("/HEALTH/live/x")]
    [InlineData("/v1/ping/x")]
    public async Task P4_4_wrong_keys_sent_to_the_probes_or_beneath_them_count_and_meet_the_limit(string path)
    {
        await using var api = Limited("RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "3");
        var responses = new List<HttpResponseMessage>();
        for (var guess = 0; guess < 6; guess++)
        {
            responses.Add(await ApiKeyGuessingTests.Client(api, ApiKeyGuessingTests.WellShapedGuess()).GetAsync(path));
        }

        await AssertRateLimitedAsync(responses[^1]);
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync("/health/live/")).StatusCode);
    }

    [Fact]
    public async Task P4_4_expired_and_ended_sessions_are_no_failed_authentication_and_lock_no_one_out()
    {
        var user = await platform.RegisterUserAsync();
        var ended = (await platform.SignInAsync(user)).Token;
        var current = await platform.AsUserAsync(user);
        Assert.Equal(HttpStatusCode.NoContent, (await current.PostAsJsonAsync($"/v1/users/{user.UserId}/password", new { currentPassword = user.Password, newPassword = "another long passphrase" })).StatusCode);
        var signedIn = await platform.SignInAsync(user with { Password = "another long passphrase" });
        var expired = SessionTokens.Resign(signedIn.Token, SecurityAlgorithms.HmacSha256, DateTime.UtcNow.AddHours(-3), DateTime.UtcNow.AddHours(-1));
        await using var api = Limited("RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "3");

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await (await Bearer(api, expired).GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
            await (await Bearer(api, ended).GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(HttpStatusCode.OK, (await Bearer(api, signedIn.Token).GetAsync($"/v1/users/{user.UserId}")).StatusCode);
        await (await Bearer(api, "not.a.token").GetAsync($"/v1/users/{user.UserId}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    // P4.4: each number's codes take five guesses and nothing counted guesses across numbers: one address moving from
    // number to number had five per text, some 5,000 a day, each a one-in-a-million chance at an account (a reset signs in).
    [Fact]
    public async Task P4_4_one_network_presents_a_days_allowance_of_wrong_codes_across_numbers_then_429_unexamined()
    {
        await using var api = Limited("RATE_LIMIT_WRONG_CODES_PER_DAY", "3");
        var client = api.CreateClient();
        var owner = await platform.RegisterUserAsync();
        const string NewPassword = "correct horse battery staple 9";

        var wrong = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            wrong.Add(await client.PostAsJsonAsync("/v1/password-resets", new { phone = UserApiClient.NewPhone(), verificationCode = "000000", newPassword = NewPassword }));
        }

        var rightCode = await platform.ObtainCodeAsync(owner.Phone, "reset-password");
        var withTheRightCode = await client.PostAsJsonAsync("/v1/password-resets", new { phone = owner.Phone, verificationCode = rightCode, newPassword = NewPassword });
        var registering = await client.PostAsJsonAsync("/v1/users", new { phone = UserApiClient.NewPhone(), password = NewPassword, nickname = "Guesser", verificationCode = "000000" });

        foreach (var refusedCode in wrong)
        {
            Assert.EndsWith("/verification-failed", (await refusedCode.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        }

        foreach (var unexamined in new[] { withTheRightCode, registering })
        {
            Assert.EndsWith("/too-many-wrong-codes", (await unexamined.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
            Assert.NotNull(unexamined.Headers.RetryAfter);
        }

        // Unexamined, the owner's code is still good (from another network, here the suite's own API).
        Assert.Equal(HttpStatusCode.NoContent, (await platform.Client().PostAsJsonAsync("/v1/password-resets",
            new { phone = owner.Phone, verificationCode = rightCode, newPassword = NewPassword })).StatusCode);
    }

    // P4.4 (*reviewer*): the day was checked before a code was examined and counted after: a burst of concurrent guesses all
    // passed the check before any was counted, one burst an hour some 1,440 guesses a day where the day is 100.
    [Fact]
    public async Task P4_4_a_burst_of_concurrent_wrong_codes_is_held_to_the_networks_day_as_codes_sent_one_by_one_are()
    {
        await using var api = Limited("RATE_LIMIT_WRONG_CODES_PER_DAY", "1");
        var client = api.CreateClient();
        const string NewPassword = "correct horse battery staple 9";

        var burst = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            client.PostAsJsonAsync("/v1/password-resets", new { phone = UserApiClient.NewPhone(), verificationCode = "000000", newPassword = NewPassword })));

        Assert.Single(burst, response => response.StatusCode == HttpStatusCode.BadRequest);
        Assert.All(burst.Where(response => response.StatusCode != HttpStatusCode.BadRequest), response =>
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode));
    }

    // P1.7, P4.4 (*reviewer*): each request's code takes five guesses, and an agent filing a cancellation, guessing five
    // times, cancelling and filing again had some 500 guesses a day at erasing an account with no second agent. An agent's
    // wrong codes are counted a day across requests.
    [Fact]
    public async Task P1_7_P4_4_an_agents_wrong_confirmation_codes_are_counted_across_the_requests_it_files()
    {
        var user = await platform.RegisterUserAsync();
        var agent = await platform.EnrolStaffAsync("Agent Guessing", "support");
        await using var api = Limited("RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY", "2");
        var support = Keyed(api, agent.ApiKey);
        var cancellation = new { type = "cancellation", reason = "caller asked by phone", verification = "SMS code to the registered number" };

        var first = (await support.FileRequestAsync(user.UserId, cancellation)).RequestId();
        var guesses = new List<HttpResponseMessage>();
        for (var guess = 0; guess < 2; guess++)
        {
            guesses.Add(await support.PostAsJsonAsync($"/v1/requests/{first}/confirmation", new { verificationCode = $"00000{guess}" }));
        }

        (await support.PostAsync($"/v1/requests/{first}/cancellation", null)).EnsureSuccessStatusCode();
        var second = (await support.FileRequestAsync(user.UserId, cancellation)).RequestId();
        var afresh = await support.PostAsJsonAsync($"/v1/requests/{second}/confirmation", new { verificationCode = "000009" });

        Assert.All(guesses, guess => Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode));
        Assert.EndsWith("/too-many-wrong-codes", (await afresh.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal("awaiting-confirmation", (await support.GetFromJsonAsync<JsonElement>($"/v1/requests/{second}")).GetProperty("status").GetString());
    }

    // P1.7, P4.4 (*reviewer*): an agent's day of wrong codes was held in each API host's memory: behind a balancer of N hosts
    // the agent had N days, and a restart or deploy handed out a fresh one. The day is one across the cluster now.
    [Fact]
    public async Task P1_7_P4_4_an_agents_day_of_wrong_confirmation_codes_is_one_across_api_hosts()
    {
        var user = await platform.RegisterUserAsync();
        var agent = await platform.EnrolStaffAsync("Agent On Two Hosts", "support");
        await using var firstHost = Limited("RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY", "2");
        await using var secondHost = Limited("RATE_LIMIT_WRONG_CODES_PER_CALLER_PER_DAY", "2");
        var onTheFirst = Keyed(firstHost, agent.ApiKey);
        var cancellation = new { type = "cancellation", reason = "caller asked by phone", verification = "SMS code to the registered number" };

        var request = (await onTheFirst.FileRequestAsync(user.UserId, cancellation)).RequestId();
        var guesses = new List<HttpResponseMessage>();
        for (var guess = 0; guess < 2; guess++)
        {
            guesses.Add(await onTheFirst.PostAsJsonAsync($"/v1/requests/{request}/confirmation", new { verificationCode = $"00000{guess}" }));
        }

        var onTheSecond = await Keyed(secondHost, agent.ApiKey).PostAsJsonAsync($"/v1/requests/{request}/confirmation", new { verificationCode = "000009" });

        Assert.All(guesses, guess => Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode));
        Assert.EndsWith("/too-many-wrong-codes", (await onTheSecond.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.InRange(onTheSecond.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Assert.Equal("awaiting-confirmation", (await onTheFirst.GetFromJsonAsync<JsonElement>($"/v1/requests/{request}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task P4_4_codes_texted_from_the_registration_page_count_against_the_per_address_allowance_for_codes()
    {
        // The page sends texts as POST /v1/verification-codes does; under the sign-up allowance alone (six times larger)
        // it would be the way around the limit on texting numbers that are not the caller's.
        await using var api = Limited("RATE_LIMIT_CODES_PER_MINUTE", "2");
        var browser = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var sent = new List<HttpResponseMessage>();
        foreach (var handler in new[] { "Code", "code", "CODE" })
        {
            sent.Add(await browser.PostFormAsync($"/privacy/register?handler={handler}", new() { ["phone"] = UserApiClient.NewPhone() }));
        }

        Assert.All(sent.Take(2), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        await AssertRateLimitedAsync(sent[2]);
    }

    // The page's texts and the API's were counted in a bucket of each route's policy: one address had the minute's allowance
    // twice over, though each text is paid for the same.
    [Fact]
    public async Task P4_4_the_registration_pages_texts_and_the_apis_share_one_allowance_per_address()
    {
        await using var api = Limited("RATE_LIMIT_CODES_PER_MINUTE", "2");
        var browser = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var client = api.CreateClient();

        var byTheApi = await client.PostAsJsonAsync("/v1/verification-codes", new { phone = UserApiClient.NewPhone(), purpose = "register" });
        var byThePage = await browser.PostFormAsync("/privacy/register?handler=Code", new() { ["phone"] = UserApiClient.NewPhone() });
        var third = await client.PostAsJsonAsync("/v1/verification-codes", new { phone = UserApiClient.NewPhone(), purpose = "register" });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK), (byTheApi.StatusCode, byThePage.StatusCode));
        await AssertRateLimitedAsync(third);
    }

    // At the minute's allowance alone one address had 14,400 texts a day sent to numbers it cycled through, each paid for.
    [Fact]
    public async Task P4_4_one_address_has_a_days_allowance_of_texted_codes_past_its_minutes()
    {
        await using var api = Limited("RATE_LIMIT_CODES_PER_DAY", "2");
        var client = api.CreateClient();

        var sent = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(await client.PostAsJsonAsync("/v1/verification-codes", new { phone = UserApiClient.NewPhone(), purpose = "register" }));
        }

        Assert.All(sent.Take(2), response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        await AssertRateLimitedAsync(sent[2]);
        // Back in an hour, when the oldest hour of the 24 falls out; not the minute's wait.
        Assert.Equal(TimeSpan.FromHours(1), sent[2].Headers.RetryAfter?.Delta);
    }

    private async Task<(MerchantCreatedBody Merchant, StaffEnrolledBody FirstTill, StaffEnrolledBody SecondTill)> MerchantWithTwoTillsAsync(string name)
    {
        var merchant = await platform.CreateMerchantAsync(name);
        var owner = platform.Client(merchant.ApiKey);
        return (merchant, await owner.EnrolAsync(merchant.MerchantId, "Till One", "cashier"), await owner.EnrolAsync(merchant.MerchantId, "Till Two", "cashier"));
    }

    // P4.4 (*reviewer*): a registered number's first sign-in after it was idle woke its user grain (a few database trips)
    // before the password was checked; an unknown number's decoy check woke nothing. Two tries in a row told the caller which
    // numbers are registered. Every failed sign-in now answers no sooner than the floor, both alike (a lower bound only: what
    // a sign-in costs above it is the machine's).
    [Fact]
    public async Task P4_4_a_failed_sign_in_answers_no_sooner_than_its_floor_for_a_registered_number_and_an_unknown_one_alike()
    {
        const int FloorMs = 300;
        await using var api = Limited("SIGN_IN_FAILURE_FLOOR_MS", FloorMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = api.CreateClient();
        var registered = await platform.RegisterUserAsync();

        async Task<(HttpStatusCode Status, TimeSpan Took)> SignInAsync(string phone)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var response = await client.PostAsJsonAsync("/v1/sessions", new { phone, password = "not the password at all" });
            return (response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        var unknown = await SignInAsync(UserApiClient.NewPhone());
        var wrongPassword = await SignInAsync(registered.Phone);
        var rightPassword = await client.PostAsJsonAsync("/v1/sessions", new { phone = registered.Phone, password = registered.Password });

        Assert.All(new[] { unknown, wrongPassword }, attempt =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.Status);
            Assert.True(attempt.Took >= TimeSpan.FromMilliseconds(FloorMs), $"answered after {attempt.Took.TotalMilliseconds} ms");
        });
        Assert.Equal(HttpStatusCode.OK, rightPassword.StatusCode);
    }

    private WebApplicationFactory<ApiAssemblyMarker> Limited(string setting, string value) =>
        platform.Api.WithWebHostBuilder(web => web.UseSetting(setting, value));

    private static HttpClient Keyed(WebApplicationFactory<ApiAssemblyMarker> api, string apiKey)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    private static HttpClient Bearer(WebApplicationFactory<ApiAssemblyMarker> api, string token)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    // P4.4 (*reviewer*): reads that open sealed rows or query before the caller's access is known ran at a user's whole 5,000
    // calls a second: their orders' first page (an AES seal, an UPDATE and a hundred opens each), a whole ticket (up to
    // 100,000 characters), a consent receipt and its recipients, a request with its recipients, a request's export (its
    // request read before any quota or sign-in refuses it). Each is a heavy read now.
    [Fact]
    public async Task P4_4_a_users_orders_tickets_receipts_requests_and_exports_are_heavy_reads()
    {
        await using var api = Limited("RATE_LIMIT_HEAVY_READS_PER_SECOND", "3");
        // Each route by a user of its own, their bucket full: what is measured is the route's own limit.
        async Task<(HttpClient Own, HttpClient Limited, string UserId)> UserAsync()
        {
            var user = await platform.RegisterUserAsync();
            var session = await platform.SignInAsync(user);
            return (Bearer(platform.Api, session.Token), Bearer(api, session.Token), user.UserId);
        }

        async Task<string?> ReceiptAsync(HttpClient own, string userId)
        {
            var granted = await own.PutAsJsonAsync($"/v1/users/{userId}/consents/location", new { granted = true, policyVersion = await platform.CurrentPolicyVersionAsync() });
            return (await granted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptId").GetString();
        }

        var orders = await UserAsync();
        var ticket = await UserAsync();
        var opened = await ticket.Own.PostAsJsonAsync($"/v1/users/{ticket.UserId}/tickets", new { subject = "Help", message = "Where is my tea?" });
        var ticketId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
        var receipt = await UserAsync();
        var receiptId = await ReceiptAsync(receipt.Own, receipt.UserId);
        var recipients = await UserAsync();
        var recipientsOf = await ReceiptAsync(recipients.Own, recipients.UserId);
        var request = await UserAsync();
        var requestId = (await request.Own.FileRequestAsync(request.UserId, new { type = "access" })).GetProperty("requestId").GetString();

        (HttpClient Client, string Path)[] loops =
        [
            (orders.Limited, $"/v1/users/{orders.UserId}/orders"), (ticket.Limited, $"/v1/tickets/{ticketId}"),
            (receipt.Limited, $"/v1/consent-records/{receiptId}"), (recipients.Limited, $"/v1/consent-records/{recipientsOf}/recipients"),
            (request.Limited, $"/v1/requests/{requestId}"),
        ];
        foreach (var (client, path) in loops)
        {
            var loop = await Burst(client, path, 10);
            Assert.True(loop[0].StatusCode == HttpStatusCode.OK, $"{path}: {loop[0].StatusCode}");
            Assert.True(loop.Exists(response => response.StatusCode == HttpStatusCode.TooManyRequests), $"{path} was never limited");
        }

        // An export refused (its request is not completed yet) read the request and its recipients all the same.
        var download = await UserAsync();
        var notDone = (await download.Own.FileRequestAsync(download.UserId, new { type = "access" })).GetProperty("requestId").GetString();
        var downloads = await Burst(download.Limited, $"/v1/requests/{notDone}/export", 10);
        Assert.Equal(HttpStatusCode.Conflict, downloads[0].StatusCode);
        Assert.Contains(downloads, response => response.StatusCode == HttpStatusCode.TooManyRequests);
    }

    // Far more requests than the limit, back to back: well within one second on any machine.
    private static async Task<List<HttpResponseMessage>> Burst(HttpClient client, string path, int count)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++)
        {
            responses.Add(await client.GetAsync(path));
        }

        return responses;
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/rate-limited", problem.TypeOf(), StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
    }

    // P1.7, P4.4 (*reviewer*): an operator's retry of a delivery, archive or edit of a product wrote its audit entry before
    // the delivery or product was looked for: a leaked operator key looping made-up ids wrote a lasting row for each 404,
    // every one under the audit log's lock that every support call and data-rights step waits on.
    [Fact]
    public async Task P1_7_P4_4_an_operators_retries_of_made_up_deliveries_and_acts_on_made_up_products_write_nothing_to_the_audit_log()
    {
        var merchant = await platform.CreateMerchantAsync("Made Up Targets");
        var looping = await platform.EnrolStaffAsync("Operator Made Up", "operator");
        var operatorKey = platform.Client(looping.ApiKey);

        var retries = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            var deliveryId = MeiLing.Grains.Platform.EntityId.New(MeiLing.Grains.Platform.EntityId.DeliveryPrefix);
            retries.Add((await operatorKey.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null)).StatusCode);
        }

        var archived = await operatorKey.DeleteAsync($"/v1/merchants/{merchant.MerchantId}/products/NO-SUCH-SKU");
        var edited = await operatorKey.PatchAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/products/NO-SUCH-SKU", new { name = "Nothing" });

        Assert.All(retries, status => Assert.Equal(HttpStatusCode.NotFound, status));
        await archived.AssertProblemAsync(HttpStatusCode.NotFound);
        await edited.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE actor_id = $1", looping.StaffId));
    }

    // P1.7, P4.4 (*reviewer*): an operator's key had an API key's 5,000 calls a second for its audited writes too.
    [Fact]
    public async Task P1_7_P4_4_an_operators_writes_have_a_small_rate_of_their_own_and_leave_their_reads_and_other_operators_alone()
    {
        var merchant = await platform.CreateMerchantAsync("Operator Loop Target");
        var looping = await platform.EnrolStaffAsync("Operator Loop", "operator");
        var calm = await platform.EnrolStaffAsync("Operator Calm", "operator");
        await using var api = Limited("RATE_LIMIT_OPERATOR_WRITES_PER_SECOND", "3");
        static string MadeUpRetry() => $"/v1/webhook-deliveries/{MeiLing.Grains.Platform.EntityId.New(MeiLing.Grains.Platform.EntityId.DeliveryPrefix)}/retry";

        var writes = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            writes.Add(await Keyed(api, looping.ApiKey).PostAsync(MadeUpRetry(), null));
        }

        var read = await Keyed(api, looping.ApiKey).GetAsync($"/v1/merchants/{merchant.MerchantId}");
        var othersWrite = await Keyed(api, calm.ApiKey).PostAsync(MadeUpRetry(), null);

        Assert.Equal(HttpStatusCode.NotFound, writes[0].StatusCode);
        await AssertRateLimitedAsync(writes.First(response => response.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, othersWrite.StatusCode);
    }
}
