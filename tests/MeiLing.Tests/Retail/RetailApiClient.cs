using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Retail;

/// <summary>A merchant with its own key and one manager and one cashier, each with their own key.</summary>
internal sealed record Till(MerchantCreatedBody Merchant, HttpClient Owner, string ManagerId, HttpClient Manager, string CashierId, HttpClient Cashier)
{
    public string MerchantId => Merchant.MerchantId;
}

/// <summary>Arrange steps for the retail routes, through the API as a point-of-sale app would.</summary>
internal static class RetailApiClient
{
    public static async Task<Till> OpenTillAsync(this PlatformFixture platform, string name = "Corner Shop")
    {
        var merchant = await platform.CreateMerchantAsync(name);
        var owner = platform.Client(merchant.ApiKey);
        var manager = await owner.EnrolAsync(merchant.MerchantId, "Wang Fang", "manager");
        var cashier = await owner.EnrolAsync(merchant.MerchantId, "Li Na", "cashier");
        return new Till(merchant, owner, manager.StaffId, platform.Client(manager.ApiKey), cashier.StaffId, platform.Client(cashier.ApiKey));
    }

    public static async Task<StaffEnrolledBody> EnrolAsync(this HttpClient client, string merchantId, string name, string role)
    {
        var response = await client.PostAsJsonAsync($"/v1/merchants/{merchantId}/staff", new { name, role });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<StaffEnrolledBody>())!;
    }

    public static async Task AddStockedProductAsync(this HttpClient client, string merchantId, string sku, long priceFen, int? stock)
    {
        var response = await client.PostAsJsonAsync($"/v1/merchants/{merchantId}/products", new { sku, name = $"Product {sku}", priceFen, stock });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static Task<HttpResponseMessage> SellAsync(this HttpClient client, string merchantId, params (string Sku, int Quantity)[] items) =>
        client.PostAsJsonAsync($"/v1/merchants/{merchantId}/orders", new { items = items.Select(i => new { sku = i.Sku, quantity = i.Quantity }) });

    /// <summary>A walk-in sale that must succeed; returns the order.</summary>
    public static async Task<JsonElement> WalkInSaleAsync(this HttpClient client, string merchantId, params (string Sku, int Quantity)[] items)
    {
        var response = await client.SellAsync(merchantId, items);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task PaidAsync(this HttpClient client, string orderId, string method, long amountFen)
    {
        var response = await client.PayAsync(orderId, method, amountFen);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A staff member's member-card payment as at the till: the member is texted a code, tells it, and the till pays with it.</summary>
    public static async Task<HttpResponseMessage> PayWithMemberCodeAsync(
        this HttpClient staff, PlatformFixture platform, string orderId, string memberPhone, long amountFen)
    {
        var asked = await staff.PostAsJsonAsync($"/v1/orders/{orderId}/member-code", new { amountFen });
        Assert.True(asked.StatusCode == HttpStatusCode.Accepted, await asked.Content.ReadAsStringAsync());
        var memberCode = await platform.LatestCodeAsync(memberPhone, "member-card-payment");
        return await staff.PostAsJsonAsync($"/v1/orders/{orderId}/payments", new { method = "member-card", amountFen, memberCode });
    }

    public static Task<HttpResponseMessage> RefundAsync(this HttpClient client, string orderId, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/orders/{orderId}/refunds") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonElement> RefundedAsync(this HttpClient client, string orderId, object body, string? idempotencyKey = null)
    {
        var response = await client.RefundAsync(orderId, body, idempotencyKey);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> AdjustStockAsync(this HttpClient client, string merchantId, string sku, int delta, string reason = "delivery") =>
        client.PostAsJsonAsync($"/v1/merchants/{merchantId}/products/{sku}/stock", new { delta, reason });

    public static async Task<JsonElement> ProductAsync(this HttpClient client, string merchantId, string sku) =>
        (await client.GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchantId}/products"))
            .GetProperty("items").EnumerateArray().Single(p => p.GetProperty("sku").GetString() == sku);

    public static async Task<int?> StockAsync(this HttpClient client, string merchantId, string sku) =>
        (await client.ProductAsync(merchantId, sku)).GetProperty("stock") is { ValueKind: JsonValueKind.Number } stock ? stock.GetInt32() : null;

    public static Task<HttpResponseMessage> DailyReportAsync(this HttpClient client, string merchantId, string date) =>
        client.GetAsync($"/v1/merchants/{merchantId}/reports/daily?date={date}");

    /// <summary>Today in Asia/Shanghai, the default merchants' day.</summary>
    public static string ShanghaiToday() =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<JsonElement> OrderAsync(this HttpClient client, string orderId) =>
        await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}");
}
