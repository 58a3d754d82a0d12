using System.Text.Json;
using MeiLing.Grains.Analytics;
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

        // P1.13: the merchant's alias holds for one export only (*reviewer*: numbered by merchant id, it was the same in every
        // export, a pseudonym joining them).
        var again = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/analytics/sales?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
        static string AliasOfPopular(IEnumerable<JsonElement> groups) => groups
            .First(g => g.GetProperty("sku").GetString() == "POPULAR" && g.GetProperty("quantity").GetInt64() == 9).GetProperty("merchant").GetString()!;
        Assert.NotEqual(AliasOfPopular(groups), AliasOfPopular(again.GetProperty("groups").EnumerateArray()));
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

    // A year of a busy platform's sales was read into one silo's memory and sent in one answer. Here one merchant's
    // day holds one group more than an export may: five customers, each buying every one of 100,001 SKUs.
    [Fact]
    public async Task P4_4_an_analytics_export_of_a_period_holding_more_groups_than_it_may_is_400_naming_the_period()
    {
        const string merchantId = "mer_analytics_bound";
        var groups = IAnalyticsGrain.MaxGroups + 1;
        await platform.Database.ScalarAsync<int>("""
            INSERT INTO order_index (order_id, merchant_id, user_id, created_at, total_fen, status)
            SELECT 'ord_bound_' || c, $1, 'usr_bound_' || c, '2001-03-01T08:00:00Z', 100, 'Paid' FROM generate_series(1, 5) c;
            """, merchantId);
        await platform.Database.ScalarAsync<int>("""
            INSERT INTO order_line_facts (order_id, line_no, merchant_id, region, day, sku, quantity, amount_fen)
            SELECT 'ord_bound_' || c, s, $1, 'CN', DATE '2001-03-01', 'SKU-' || s, 1, 100
              FROM generate_series(1, 5) c, generate_series(1, $2) s;
            """, merchantId, groups);

        var tooMany = await platform.Operator().GetAsync("/v1/analytics/sales?from=2001-03-01&to=2001-03-01");
        var shorter = await platform.Operator().GetAsync("/v1/analytics/sales?from=2001-03-02&to=2001-03-31");

        var problem = await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/export-too-large", problem.TypeOf(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));
        Assert.Equal(HttpStatusCode.OK, shorter.StatusCode);
    }

    [Theory]
    [InlineData("2026-02-01", "2026-01-31")]
    [InlineData("2026-01-01", "2027-01-02")]
    [InlineData("1926-01-01", "2026-01-01")]
    public async Task P4_4_an_analytics_export_ending_before_it_starts_or_longer_than_366_days_is_400_naming_to(string from, string to)
    {
        var response = await platform.Operator().GetAsync($"/v1/analytics/sales?from={from}&to={to}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));
    }

    [Theory]
    [InlineData("from=2026-01-01")]
    [InlineData("from=2026-01-01&to=yesterday")]
    public async Task An_analytics_export_without_a_readable_period_is_400(string query)
    {
        var response = await platform.Operator().GetAsync($"/v1/analytics/sales?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_operators_export_analytics()
    {
        var merchant = await platform.CreateMerchantAsync("Curious");

        var response = await platform.Client(merchant.ApiKey).GetAsync("/v1/analytics/sales?from=2026-01-01&to=2026-01-31");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
