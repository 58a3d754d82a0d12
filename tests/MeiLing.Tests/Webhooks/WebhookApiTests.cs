using System.Text.Json;
using MeiLing.Grains.Platform;
using MeiLing.Silo.Webhooks;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Retail;

namespace MeiLing.Tests.Webhooks;

/// <summary>Registering endpoints, secrets, and who may confirm or retry what.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookApiTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("http://example.com/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://192.168.0.10/hooks")]
    [InlineData("https://172.20.0.1/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[fd00::1]/hooks")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("ftp://example.com/hooks")]
    [InlineData("https://user:pass@example.com/hooks")]
    [InlineData("/relative")]
    public async Task A_webhook_url_that_is_plain_http_beyond_loopback_or_points_into_a_private_network_is_400(string url)
    {
        var merchant = await platform.CreateMerchantAsync("SSRF House");

        var response = await platform.Client(merchant.ApiKey).PutAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/webhook", new { url });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), problem.ToString());
    }

    // A NUL passed the URL's checks and failed only in PostgreSQL, after the change had been audited and counted against
    // the day's allowance: the merchant's audit log showed a change that never happened.
    [Theory]
    [InlineData("https://example.com/a\u0000b")]
    [InlineData("https://example.com/a\u0007b")]
    public async Task P3_1_P4_4_a_webhook_url_with_a_control_character_is_400_and_no_change_is_audited(string url)
    {
        var till = await platform.OpenTillAsync("Hook Control");

        var response = await till.Owner.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", new { url = System.Text.RegularExpressions.Regex.Unescape(url) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), problem.ToString());
        var changes = await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/webhook/changes");
        Assert.Empty(changes.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_silo_refuses_to_connect_to_a_private_address_whatever_name_leads_there()
    {
        Assert.False(MeiLing.ServiceDefaults.WebhookTargets.IsAllowed(IPAddress.Parse("10.0.0.7"), allowLoopback: true));
        Assert.False(MeiLing.ServiceDefaults.WebhookTargets.IsAllowed(IPAddress.Parse("::ffff:192.168.1.1"), allowLoopback: true));
        Assert.False(MeiLing.ServiceDefaults.WebhookTargets.IsAllowed(IPAddress.Loopback, allowLoopback: false));
        Assert.True(MeiLing.ServiceDefaults.WebhookTargets.IsAllowed(IPAddress.Parse("203.0.114.9"), allowLoopback: false));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task The_secret_is_shown_when_issued_and_on_rotation_only()
    {
        var merchant = await platform.CreateMerchantAsync("Secret House");
        var client = platform.Client(merchant.ApiKey);

        var registered = await (await client.PutAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/webhook",
            new { url = "https://hooks.example.com/meiling", events = new[] { "customer.data_request" } })).Content.ReadFromJsonAsync<JsonElement>();
        var read = await client.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchant.MerchantId}/webhook");
        var rotated = await (await client.PostAsync($"/v1/merchants/{merchant.MerchantId}/webhook/secret", null)).Content.ReadFromJsonAsync<JsonElement>();
        var stored = await platform.Database.FindEverywhereAsync(rotated.GetProperty("secret").GetString()!["whsec_".Length..]);
        var deleted = await client.DeleteAsync($"/v1/merchants/{merchant.MerchantId}/webhook");
        var gone = await client.GetAsync($"/v1/merchants/{merchant.MerchantId}/webhook");

        Assert.StartsWith("whsec_", registered.GetProperty("secret").GetString());
        Assert.Equal(32, Convert.FromBase64String(registered.GetProperty("secret").GetString()!["whsec_".Length..]).Length);
        // What was named, and the notices of users' rights, which every endpoint takes; not member_card.settled.
        Assert.Equal(
            ["customer.redact", "customer.data_request", "customer.updated", "consent.withdrawn", "shop.redact"],
            read.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.NotEqual(registered.GetProperty("secret").GetString(), rotated.GetProperty("secret").GetString());
        Assert.Empty(stored);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // An operator could point a merchant's users' rights notices elsewhere, rotate its secret or remove its endpoint and
    // leave no trace: the merchant learned of it only when its notices stopped arriving.
    [Fact]
    public async Task P3_1_P4_4_an_operators_changes_to_a_merchants_webhook_are_audited_and_shown_to_the_merchant_without_the_secret_or_the_path()
    {
        var till = await platform.OpenTillAsync("Hook Watched");
        (await till.Owner.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", new { url = "https://hooks.example.com/mine?token=private-1" }))
            .EnsureSuccessStatusCode();
        var operatorClient = platform.Operator();

        (await operatorClient.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", new { url = "https://elsewhere.example.net/theirs" }))
            .EnsureSuccessStatusCode();
        var seenByMerchant = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/webhook");
        var rotated = await (await operatorClient.PostAsync($"/v1/merchants/{till.MerchantId}/webhook/secret", null)).Content.ReadFromJsonAsync<JsonElement>();
        var removed = await operatorClient.DeleteAsync($"/v1/merchants/{till.MerchantId}/webhook");
        var changes = (await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/webhook/changes"))
            .GetProperty("items").EnumerateArray().ToList();

        Assert.Equal("operator", seenByMerchant.GetProperty("changedByRole").GetString());
        Assert.False(string.IsNullOrEmpty(seenByMerchant.GetProperty("changedBy").GetString()));
        Assert.NotEqual(JsonValueKind.Null, seenByMerchant.GetProperty("changedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(
            [
                ("removed", "operator", "elsewhere.example.net", (string?)null),
                ("secret-rotated", "operator", "elsewhere.example.net", "elsewhere.example.net"),
                ("set", "operator", "hooks.example.com", "elsewhere.example.net"),
                ("set", "merchant", null, "hooks.example.com"),
            ],
            changes.Select(change => (change.GetProperty("change").GetString()!, change.GetProperty("byRole").GetString()!,
                change.GetProperty("fromHost").GetString(), change.GetProperty("toHost").GetString())));
        Assert.Equal(till.MerchantId, changes[^1].GetProperty("by").GetString());
        var secret = rotated.GetProperty("secret").GetString()!["whsec_".Length..];
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE detail LIKE '%' || $1 || '%' OR detail LIKE '%private-1%' OR detail LIKE '%/theirs%'", secret));
        // Another merchant reads none of it.
        var stranger = platform.Client((await platform.CreateMerchantAsync("Hook Onlooker")).ApiKey);
        await (await stranger.GetAsync($"/v1/merchants/{till.MerchantId}/webhook/changes")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // P3.1, P1.7: an operator's change to an unknown merchant's webhook (a typo in the id) was written to the append-only
    // audit log as made, and listed among that id's changes, before the merchant's grain answered 404.
    [Theory]
    [InlineData("PUT", "/webhook")]
    [InlineData("DELETE", "/webhook")]
    [InlineData("POST", "/webhook/secret")]
    [InlineData("POST", "/api-key")]
    public async Task P3_1_an_operators_change_for_an_unknown_merchant_is_404_and_writes_no_audit_entry(string method, string path)
    {
        var unknown = EntityId.New(EntityId.MerchantPrefix);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/merchants/{unknown}{path}");
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { url = "https://example.com/hooks" });
        }

        var response = await platform.Operator().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE detail LIKE '%' || $1 || '%'", unknown));
    }

    [Fact]
    public async Task P4_4_a_merchant_changes_its_own_webhook_at_most_100_times_a_day_then_429_and_the_audit_log_takes_no_more()
    {
        // Each change is written to the audit log before it is made, and nothing may ever delete an audit entry: a merchant
        // key looping on PUT, rotation or removal at its rate limit filled the log with rows kept for good.
        var till = await platform.OpenTillAsync("Hook Looper");
        var hook = $"/v1/merchants/{till.MerchantId}/webhook";
        for (var i = 0; i < 100; i++)
        {
            var change = i % 2 == 0
                ? await till.Owner.PutAsJsonAsync(hook, new { url = $"https://hooks.example.com/{i}" })
                : await till.Owner.PostAsync($"{hook}/secret", null);
            Assert.True(change.IsSuccessStatusCode, $"change {i}: {change.StatusCode}");
        }

        var set = await till.Owner.PutAsJsonAsync(hook, new { url = "https://hooks.example.com/one-more" });
        var rotated = await till.Owner.PostAsync($"{hook}/secret", null);
        var removed = await till.Owner.DeleteAsync(hook);

        Assert.EndsWith("/quota-exceeded", (await set.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.True(set.Headers.RetryAfter?.Delta > TimeSpan.FromHours(23), $"{set.Headers.RetryAfter}");
        await rotated.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        await removed.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(100L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action LIKE 'webhook:%' AND detail LIKE '%' || $1 || '%'", till.MerchantId));
        Assert.Equal("https://hooks.example.com/98", (await till.Owner.GetFromJsonAsync<JsonElement>(hook)).GetProperty("url").GetString());
        // An operator, who answers for the platform, is not held to the merchant's own count.
        (await platform.Operator().PutAsJsonAsync(hook, new { url = "https://hooks.example.com/by-operator" })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_unknown_event_type_is_400_and_another_merchants_webhook_is_404()
    {
        var merchant = await platform.CreateMerchantAsync("Events House");
        var other = await platform.CreateMerchantAsync("Other House");

        var unknown = await platform.Client(merchant.ApiKey).PutAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/webhook",
            new { url = "https://hooks.example.com/x", events = new[] { "customer.stolen" } });
        var foreign = await platform.Client(other.ApiKey).PutAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/webhook", new { url = "https://evil.example.com/x" });

        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        await foreign.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task P3_1_another_merchant_nor_the_merchants_manager_confirms_a_request_in_the_recipients_name_nor_retries_its_deliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        var other = await platform.CreateMerchantAsync("Meddling House");
        var meddler = platform.Client(other.ApiKey);
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync();
        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        var sent = await receiver.WaitForAsync(r => r.Type == "customer.data_request");
        var delivery = await shop.MerchantClient.WaitForDeliveryAsync(shop.Merchant.MerchantId, sent.WebhookId, "delivered");

        var manager = platform.Client((await shop.MerchantClient.EnrolAsync(shop.Merchant.MerchantId, "Zhao Lei", "manager")).ApiKey);

        var inItsName = await meddler.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/confirmation", null);
        var asItself = await meddler.PostAsync($"/v1/requests/{requestId}/recipients/{other.MerchantId}/confirmation", null);
        var byTheUser = await shop.CustomerClient.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/confirmation", null);
        // P3.1: the merchant's word that it erased; a manager, who may be offboarded tomorrow, does not give it for the merchant.
        var byAManager = await manager.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/confirmation", null);
        var retry = await meddler.PostAsync($"/v1/webhook-deliveries/{delivery.GetProperty("deliveryId").GetString()}/retry", null);
        var view = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/requests/{requestId}");

        await inItsName.AssertProblemAsync(HttpStatusCode.NotFound);
        await asItself.AssertProblemAsync(HttpStatusCode.NotFound);
        await byTheUser.AssertProblemAsync(HttpStatusCode.Forbidden);
        await byAManager.AssertProblemAsync(HttpStatusCode.Forbidden);
        await retry.AssertProblemAsync(HttpStatusCode.NotFound);
        var recipient = Assert.Single(view.GetProperty("recipients").EnumerateArray());
        Assert.Equal("notified", recipient.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, recipient.GetProperty("confirmedAt").ValueKind);
    }

    [Fact]
    public void The_default_retry_schedule_retries_twice_within_a_minute_then_keeps_trying_for_at_least_three_days()
    {
        var settings = new WebhookDeliverySettings();
        var first = DateTimeOffset.UnixEpoch;
        var attempts = new List<DateTimeOffset> { first };
        while (settings.NextAttemptAfter(attempts.Count, attempts[^1]) is { } next)
        {
            attempts.Add(next);
        }

        Assert.True(attempts[2] - first <= TimeSpan.FromSeconds(60), $"second retry at {attempts[2] - first}");
        Assert.True(attempts[^1] - first >= TimeSpan.FromDays(3), $"last attempt at {attempts[^1] - first}");
        var gaps = attempts.Zip(attempts.Skip(1), (before, after) => after - before).ToList();
        Assert.Equal(gaps.Order(), gaps);
    }
}
