using System.Runtime.CompilerServices;
using System.Text.Json;
using MeiLing.Silo.Webhooks;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Legal;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;
using MeiLing.Tests.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeiLing.Tests.Security;

/// <summary>
/// The platform's own people and the merchants' managers acting against its rules: a support agent reaching past
/// the users it helps, a merchant's URL reaching past the internet into the platform's network, anyone but an
/// operator at the legal demands and transfers. Each tried through the real API (or the silo's own client).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class InsiderTests(PlatformFixture platform)
{
    [Fact]
    public async Task P3_1_P4_4_webhook_deliveries_connect_to_the_endpoint_itself_never_through_a_proxy_the_environment_names()
    {
        // With HTTP_PROXY/HTTPS_PROXY set, a handler that uses them connects to the proxy: the SSRF guard then checks the
        // proxy's address, and the proxy reaches whatever the merchant's URL names, the platform's own network included.
        foreach (var silo in platform.EverySilo)
        {
            HttpMessageHandler handler = silo.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(WebhookDeliveryService.HttpClientName);
            while (handler is DelegatingHandler delegating)
            {
                handler = delegating.InnerHandler!;
            }

            var sockets = Assert.IsType<SocketsHttpHandler>(handler);
            Assert.False(sockets.UseProxy);
            Assert.False(sockets.AllowAutoRedirect);
            Assert.NotNull(sockets.ConnectCallback);
        }
    }

    [Fact]
    public async Task P1_7_support_reads_a_users_orders_but_not_a_walk_in_sale_which_is_the_merchants_business_alone()
    {
        var till = await platform.OpenTillAsync("Walk-in Books");
        await till.Owner.AddStockedProductAsync(till.MerchantId, "PEN", 500, stock: null);
        var sale = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("PEN", 2));
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Nosy", "support")).ApiKey);

        var walkIn = await support.GetAsync($"/v1/orders/{sale.Id()}");
        var usersOrder = await support.GetAsync($"/v1/orders/{placed.Id()}");

        await walkIn.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, usersOrder.StatusCode);
    }

    [Fact]
    public async Task P3_3_P3_2_only_operators_read_legal_demands_and_transfers_and_a_merchant_reads_no_users_disclosures()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var user = shop.Customer;
        await platform.RecordAndApproveAsync(user.UserId, new
        {
            authority = "Xi'an Public Security Bureau", documentType = "subpoena", documentReference = "INSIDER-1", fields = new[] { "phone" }, notifyUser = false,
            withheldUntil = platform.WithheldFor90Days(),
        });
        var successor = await platform.CreateMerchantAsync("Insider Successor");
        var transferId = (await (await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
                new { successorMerchantId = successor.MerchantId, effectiveAt = platform.Clock.GetUtcNow().AddDays(40) }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetString()!;
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Legal Eagle", "support")).ApiKey);
        var self = await platform.AsUserAsync(user);

        foreach (var caller in new[] { support, shop.MerchantClient, self })
        {
            await (await caller.GetAsync("/v1/legal-disclosures?withheld=true")).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await caller.GetAsync($"/v1/transfers/{transferId}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await shop.MerchantClient.GetAsync($"/v1/users/{user.UserId}/disclosures")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var supportsView = await support.GetStringAsync($"/v1/users/{user.UserId}/disclosures");
        Assert.DoesNotContain("INSIDER-1", supportsView, StringComparison.Ordinal);
    }

    [Fact]
    public async Task P3_1_P4_4_a_manager_neither_points_the_webhook_elsewhere_nor_rotates_its_secret_and_no_merchant_touches_anothers()
    {
        var till = await platform.OpenTillAsync("Hook Keeper");
        var other = await platform.CreateMerchantAsync("Hook Stranger");
        var stranger = platform.Client(other.ApiKey);
        var body = new { url = "https://hooks.example.com/keeper" };
        (await till.Owner.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", body)).EnsureSuccessStatusCode();

        await (await till.Manager.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", new { url = "https://manager.example.com/" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Manager.PostAsync($"/v1/merchants/{till.MerchantId}/webhook/secret", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await stranger.PostAsync($"/v1/merchants/{till.MerchantId}/webhook/secret", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PutAsJsonAsync($"/v1/merchants/{till.MerchantId}/webhook", new { url = "https://stranger.example.com/" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/v1/merchants/{till.MerchantId}/webhook-deliveries")).AssertProblemAsync(HttpStatusCode.NotFound);

        var endpoint = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/webhook");
        Assert.Equal(body.url, endpoint.GetProperty("url").GetString());
    }

    [Fact]
    public async Task P4_4_where_loopback_webhooks_are_off_a_merchant_cannot_register_the_platforms_own_ports_as_its_endpoint()
    {
        await using var api = platform.Api.WithWebHostBuilder(web => web.UseSetting("WEBHOOK_ALLOW_LOOPBACK", "false"));
        var merchant = await platform.CreateMerchantAsync("Loopback House");
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", merchant.ApiKey);

        // A name for loopback however written: fully qualified (a trailing dot), or any name under localhost (RFC 6761), which
        // resolvers answer with 127.0.0.1 themselves.
        foreach (var url in new[]
        {
            "http://127.0.0.1:8080/dashboard", "http://localhost:55432/", "https://[::1]:30000/", "https://[::ffff:127.0.0.1]:11111/",
            "https://localhost.:8080/dashboard", "https://LOCALHOST./", "https://silo.localhost:11111/", "https://api.localhost.:5080/",
        })
        {
            var response = await client.PutAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/webhook", new { url });

            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), $"{url}: {problem}");
        }

        await (await client.GetAsync($"/v1/merchants/{merchant.MerchantId}/webhook")).AssertProblemAsync(HttpStatusCode.NotFound);
        (await client.PutAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/webhook", new { url = "https://hooks.example.com/loopback-house" })).EnsureSuccessStatusCode();
    }

    [Fact]
    public void P4_4_a_production_api_refuses_to_start_with_loopback_webhooks_turned_on()
    {
        using var api = platform.Api.WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("WEBHOOK_ALLOW_LOOPBACK", "true");
        });

        var error = Assert.ThrowsAny<Exception>(() => api.Server);

        Assert.Contains("MEILING_WEBHOOK_ALLOW_LOOPBACK", error.ToString(), StringComparison.Ordinal);
    }

    // P3.1 (*reviewer*): an API host without the delivery partner's secret answered each of its signed confirmations 404, so
    // every request with a delivery waited on it for good; where real users are, such a host does not start.
    [Fact]
    public void P3_1_a_production_api_refuses_to_start_without_the_delivery_partners_secret()
    {
        using var api = platform.Api.WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("PAYMENT_PARTNER_SECRETS", $"wechat-pay={TestSiloConfigurator.PartnerSecretsByName["wechat-pay"]}");
        });

        var error = Assert.ThrowsAny<Exception>(() => api.Server).ToString();

        Assert.Contains("MEILING_PAYMENT_PARTNER_SECRETS", error, StringComparison.Ordinal);
        Assert.Contains(TestSiloConfigurator.DeliveryPartner, error, StringComparison.Ordinal);
    }

    // The retry was checked against the URL of the moment, the send went to whatever URL was registered later: retried
    // while the old endpoint failed (its row pending, on back-off), then re-pointed, a past notice naming users went to
    // the new URL, signed with the new secret.
    [Fact]
    public async Task P3_1_a_delivery_retried_before_its_endpoint_was_re_pointed_is_not_sent_to_the_new_url()
    {
        var oldEndpointDown = new StrongBox<bool>(false);
        var shop = await platform.OpenShopAsync();
        var merchantId = shop.Merchant.MerchantId;
        await using var receiver = await WebhookReceiver.StartAsync(r => Task.FromResult(r.Endpoint == merchantId && oldEndpointDown.Value ? 503 : 200));
        await shop.MerchantClient.RegisterWebhookAsync(merchantId, receiver);
        await shop.PlaceOrderAsync();
        await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        var sent = await receiver.WaitForAsync(r => r.Type == "customer.data_request");
        var deliveryId = (await shop.MerchantClient.WaitForDeliveryAsync(merchantId, sent.WebhookId, "delivered")).GetProperty("deliveryId").GetString()!;

        oldEndpointDown.Value = true;
        Assert.Equal(HttpStatusCode.Accepted, (await platform.Operator().PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null)).StatusCode);
        // P1.7: an operator's retry of a delivery that exists is on the audit log before it is made.
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'webhook-delivery:retry-requested' AND detail::jsonb ->> 'deliveryId' = $1", deliveryId));
        await StatusOfDeliveryAsync(deliveryId, until: row => row.Attempts >= 2);
        // Its next attempt held back while the endpoint is re-pointed, as a back-off of minutes would hold it, then due.
        await platform.Database.ScalarAsync<int>("UPDATE webhook_outbox SET next_attempt_at = now() + interval '1 hour' WHERE delivery_id = $1 RETURNING 1", deliveryId);
        var repointed = await platform.Operator().PutAsJsonAsync($"/v1/merchants/{merchantId}/webhook", new { url = receiver.UrlOf("elsewhere") });
        receiver.Trust("elsewhere", (await repointed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        await platform.Database.ScalarAsync<int>("UPDATE webhook_outbox SET next_attempt_at = now() WHERE delivery_id = $1 RETURNING 1", deliveryId);
        var settled = await StatusOfDeliveryAsync(deliveryId, until: row => row.Status != "pending");

        Assert.Equal("delivered", settled.Status);
        Assert.DoesNotContain(receiver.Received, r => r.Endpoint == "elsewhere" && r.WebhookId == sent.WebhookId);
    }

    private async Task<(string Status, int Attempts)> StatusOfDeliveryAsync(string deliveryId, Func<(string Status, int Attempts), bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        (string Status, int Attempts) row;
        do
        {
            row = ((await platform.Database.ScalarAsync<string>("SELECT status FROM webhook_outbox WHERE delivery_id = $1", deliveryId))!,
                await platform.Database.ScalarAsync<int>("SELECT attempts FROM webhook_outbox WHERE delivery_id = $1", deliveryId));
            if (until(row))
            {
                return row;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"The delivery stayed {row.Status} after {row.Attempts} attempts.");
        return row;
    }

    [Fact]
    public async Task P3_1_a_webhook_re_pointed_elsewhere_is_not_sent_the_events_its_merchant_already_took()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var shop = await platform.OpenShopAsync();
        var merchantId = shop.Merchant.MerchantId;
        await shop.MerchantClient.RegisterWebhookAsync(merchantId, receiver);
        await shop.PlaceOrderAsync();
        await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        var sent = await receiver.WaitForAsync(r => r.Type == "customer.data_request");
        var deliveryId = (await shop.MerchantClient.WaitForDeliveryAsync(merchantId, sent.WebhookId, "delivered")).GetProperty("deliveryId").GetString()!;
        var operatorKey = platform.Operator();

        // An operator (or the merchant key) points the endpoint at a server of its own and asks for the past events again.
        var elsewhere = await operatorKey.PutAsJsonAsync($"/v1/merchants/{merchantId}/webhook", new { url = receiver.UrlOf("elsewhere") });
        receiver.Trust("elsewhere", (await elsewhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        var replayed = await operatorKey.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null);
        var byTheMerchant = await shop.MerchantClient.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null);

        var problem = await replayed.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/delivered-elsewhere", problem.TypeOf(), StringComparison.Ordinal);
        await byTheMerchant.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("delivered", await platform.Database.ScalarAsync<string>("SELECT status FROM webhook_outbox WHERE delivery_id = $1", deliveryId));

        // Back at the URL that took it, the event goes again as before, same webhook-id.
        await shop.MerchantClient.RegisterWebhookAsync(merchantId, receiver);
        Assert.Equal(HttpStatusCode.Accepted, (await shop.MerchantClient.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null)).StatusCode);
        await receiver.WaitForAsync(r => r.WebhookId == sent.WebhookId && r.Endpoint == merchantId && r != sent);
        Assert.DoesNotContain(receiver.Received, r => r.Endpoint == "elsewhere");
    }

    [Fact]
    public async Task P1_7_support_reads_only_a_numbers_last_four_digits_so_its_carrier_prefix_and_home_area_stay_for_the_find_box_to_guess()
    {
        // With 138****8000 shown, the middle four digits name the home area support reads from the address: a few hundred
        // guesses in the console's find box, a day's allowance, gave the whole number. With only 8000, tens of thousands.
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Guesser", "support")).ApiKey);

        var profile = await support.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}");

        Assert.Equal($"*******{user.Phone[7..]}", profile.GetProperty("phone").GetString());
    }
}
