using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class AnalyticsTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_11_P1_13_the_analytics_export_has_no_group_under_5_customers_and_no_identifier()
    {
        var merchant = await platform.CreateMerchantAsync("Analytics Tea");
        var merchantClient = platform.Client(merchant.ApiKey);
        await merchantClient.AddProductAsync(merchant.MerchantId, "POPULAR", "Popular tea", 1_000);
        await merchantClient.AddProductAsync(merchant.MerchantId, "NICHE", "Niche tea", 5_000);
        var phones = new List<string>();
        for (var customer = 0; customer < 7; customer++)
        {
            var user = await platform.RegisterUserAsync();
            phones.Add(user.Phone);
            var sku = customer < 3 ? "NICHE" : "POPULAR";
            var placed = await merchantClient.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/orders",
                new { userId = user.UserId, items = new[] { new { sku, quantity = 2 } } });
            var order = await placed.Content.ReadFromJsonAsync<JsonElement>();
            await merchantClient.PayAsync(order.Id(), "marked", order.GetProperty("totalFen").GetInt64());
        }

        // Four customers bought POPULAR (under 5): suppressed. Add a fifth.
        var fifth = await platform.RegisterUserAsync();
        var extra = await merchantClient.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/orders",
            new { userId = fifth.UserId, items = new[] { new { sku = "POPULAR", quantity = 1 } } });
        var extraOrder = await extra.Content.ReadFromJsonAsync<JsonElement>();
        await merchantClient.PayAsync(extraOrder.Id(), "marked", 1_000);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var response = await platform.Operator().GetAsync($"/v1/analytics/sales?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
        var body = await response.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(body).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var groups = export.GetProperty("groups").EnumerateArray().ToList();
        Assert.Contains(groups, g => g.GetProperty("sku").GetString() == "POPULAR" && g.GetProperty("quantity").GetInt64() == 9);
        Assert.DoesNotContain(groups, g => g.GetProperty("sku").GetString() == "NICHE");
        Assert.All(groups, g => Assert.True(g.GetProperty("orders").GetInt32() >= 5));
        Assert.True(export.GetProperty("suppressedGroups").GetInt32() >= 1);
        foreach (var identifier in new[] { "usr_", "ord_", "mer_", merchant.MerchantId, fifth.UserId }.Concat(phones))
        {
            Assert.DoesNotContain(identifier, body, StringComparison.Ordinal);
        }
    }

    // Anonymized orders have lost their customer: five of them may be one person, so they are not five customers.
    [Fact]
    public async Task P1_13_a_group_made_of_one_cancelled_customers_five_orders_is_suppressed()
    {
        var merchant = await platform.CreateMerchantAsync("Solo Tea");
        var merchantClient = platform.Client(merchant.ApiKey);
        await merchantClient.AddProductAsync(merchant.MerchantId, "SOLO", "Solo tea", 1_000);
        var user = await platform.RegisterUserAsync();
        for (var i = 0; i < 5; i++)
        {
            var placed = await merchantClient.PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/orders",
                new { userId = user.UserId, items = new[] { new { sku = "SOLO", quantity = 1 } } });
            await merchantClient.PayAsync((await placed.Content.ReadFromJsonAsync<JsonElement>()).Id(), "marked", 1_000);
        }

        var cancellation = await (await platform.AsUserAsync(user)).FileRequestAsync(user.UserId, new { type = "cancellation" });
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Solo", "support")).ApiKey);
        Assert.Equal("completed", (await support.WaitUntilDoneAsync(cancellation.RequestId())).GetProperty("status").GetString());

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var export = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/analytics/sales?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");

        Assert.DoesNotContain(export.GetProperty("groups").EnumerateArray(), g => g.GetProperty("sku").GetString() == "SOLO");
    }

    [Fact]
    public async Task Only_operators_export_analytics()
    {
        var merchant = await platform.CreateMerchantAsync("Curious");

        var response = await platform.Client(merchant.ApiKey).GetAsync("/v1/analytics/sales?from=2026-01-01&to=2026-01-31");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
