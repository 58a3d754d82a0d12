using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;

namespace MeiLing.Tests.Users;

/// <summary>
/// P6.1: after a rights-reducing version, every route that processes a user's data meets the user grain's
/// one gate (403 policy-consent-required) until the user accepts; there is no side door.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class OneGateTests(PlatformFixture platform)
{
    [Fact]
    public async Task P6_1_every_route_that_processes_a_users_data_waits_for_acceptance_of_a_reducing_version()
    {
        var before = await platform.CurrentPolicyVersionAsync();
        var shop = await platform.OpenShopAsync();
        var userId = shop.Customer.UserId;
        var user = shop.CustomerClient;
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Gate", "support")).ApiKey);
        await user.SetConsentAsync(userId, "location", true, before);
        await user.SetConsentAsync(userId, "third-party-sources", true, before);
        var ticketId = (await (await user.PostAsJsonAsync($"/v1/users/{userId}/tickets", new { subject = "Before", message = "m" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
        var order = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.TopUpAsync(5_000);
        var reducing = $"gate-{Guid.NewGuid():N}"[..20];
        (await platform.Operator().PostAsJsonAsync("/v1/policies", new { version = reducing, summary = "Shares more", reducesRights = true })).EnsureSuccessStatusCode();

        var gated = new Dictionary<string, HttpResponseMessage>
        {
            ["record a location"] = await user.PostLocationAsync(userId),
            ["import addresses"] = await user.PostAsJsonAsync($"/v1/users/{userId}/addresses/imports", new
            {
                source = "book", authorization = "grant",
                addresses = new[] { new { recipientName = "韩梅梅", phone = UserApiClient.NewPhone(), address = "北京市海淀区", doorNumber = "5-101" } },
            }),
            ["place an order"] = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
                new { userId, items = new[] { new { sku = "TEA-1", quantity = 1 } } }),
            ["pay by member card"] = await user.PayAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice),
            ["text the member a code for a card payment"] = await shop.MerchantClient.PostAsJsonAsync(
                $"/v1/orders/{order.Id()}/member-code", new { amountFen = CommerceApiClient.TeaPrice }),
            ["pay through a partner"] = await user.PayAsync(order.Id(), "wechat", CommerceApiClient.TeaPrice),
            ["top up a member card"] = await shop.MerchantClient.PostAsJsonAsync(
                $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{userId}/top-ups", new { amountFen = 100 }),
            ["open a ticket as the user"] = await user.PostAsJsonAsync($"/v1/users/{userId}/tickets", new { subject = "After", message = "m" }),
            ["open a ticket as support"] = await support.PostAsJsonAsync($"/v1/users/{userId}/tickets", new { subject = "After", message = "m" }),
            ["add to a ticket as the user"] = await user.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "more" }),
            ["add to a ticket as support"] = await support.PostAsJsonAsync($"/v1/tickets/{ticketId}/messages", new { message = "reply" }),
        };
        var reading = await user.GetAsync($"/v1/users/{userId}");
        var filing = await user.PostAsJsonAsync($"/v1/users/{userId}/requests", new { type = "access" });
        await user.SetConsentAsync(userId, "notifications", false, reducing);
        var afterAccepting = await user.PostAsJsonAsync($"/v1/users/{userId}/tickets", new { subject = "Accepted", message = "m" });

        foreach (var (route, response) in gated)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route}: {(int)response.StatusCode} {body}");
            Assert.Contains("/policy-consent-required", body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, filing.StatusCode);
        Assert.Equal(HttpStatusCode.Created, afterAccepting.StatusCode);
    }
}
