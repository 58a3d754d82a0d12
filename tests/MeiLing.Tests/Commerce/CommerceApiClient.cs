using System.Text.Json;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.Commerce;

/// <summary>A merchant with a small catalogue and a customer, arranged through the API.</summary>
internal sealed record Shop(MerchantCreatedBody Merchant, HttpClient MerchantClient, RegisteredUser Customer, HttpClient CustomerClient);

internal static class CommerceApiClient
{
    public const long TeaPrice = 1_800;
    public const long CakePrice = 2_550;

    public static async Task<Shop> OpenShopAsync(this PlatformFixture platform)
    {
        var merchant = await platform.CreateMerchantAsync("Tea House");
        var merchantClient = platform.Client(merchant.ApiKey);
        await merchantClient.AddProductAsync(merchant.MerchantId, "TEA-1", "Green tea", TeaPrice);
        await merchantClient.AddProductAsync(merchant.MerchantId, "CAKE-1", "Moon cake", CakePrice);
        var customer = await platform.RegisterUserAsync();
        return new Shop(merchant, merchantClient, customer, await platform.AsUserAsync(customer));
    }

    /// <summary>A shop and <paramref name="count"/> customers of it (the shop's own first), each with one order.</summary>
    public static async Task<List<Shop>> OpenShopWithCustomersWhoOrderedAsync(this PlatformFixture platform, int count)
    {
        var shop = await platform.OpenShopAsync();
        var customers = new List<Shop> { shop };
        while (customers.Count < count)
        {
            var user = await platform.RegisterUserAsync();
            customers.Add(shop with { Customer = user, CustomerClient = await platform.AsUserAsync(user) });
        }

        foreach (var customer in customers)
        {
            await customer.PlaceOrderAsync();
        }

        return customers;
    }

    public static async Task AddProductAsync(this HttpClient merchant, string merchantId, string sku, string name, long priceFen)
    {
        var response = await merchant.PostAsJsonAsync($"/v1/merchants/{merchantId}/products", new { sku, name, priceFen });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> PlaceOrderAsync(this Shop shop, object? delivery = null, int teas = 2, int cakes = 1)
    {
        var response = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders", new
        {
            userId = shop.Customer.UserId,
            items = new[] { new { sku = "TEA-1", quantity = teas }, new { sku = "CAKE-1", quantity = cakes } }.Where(item => item.quantity > 0),
            delivery,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static object SampleDelivery() => new
    {
        recipientName = "李雷",
        gender = "male",
        phone = UserApiClient.NewPhone(),
        address = "陕西省西安市雁塔区科技路 88 号",
        doorNumber = "3-2-1201",
    };

    public static Task<HttpResponseMessage> PayAsync(this HttpClient client, string orderId, string method, long amountFen) =>
        client.PostAsJsonAsync($"/v1/orders/{orderId}/payments", new { method, amountFen });

    /// <summary>
    /// Reads the order until it has <paramref name="status"/>: a partner's payment counts once the (sandbox)
    /// partner's confirmation has arrived, which it sends within a second.
    /// </summary>
    public static async Task<JsonElement> WaitForOrderStatusAsync(this HttpClient client, string orderId, string status, int seconds = 20)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var order = await client.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}");
            if (order.GetProperty("status").GetString() == status || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Equal(status, order.GetProperty("status").GetString());
                return order;
            }

            await Task.Delay(50);
        }
    }

    public static Task<HttpResponseMessage> SetStatusAsync(this HttpClient client, string orderId, string status) =>
        client.PostAsJsonAsync($"/v1/orders/{orderId}/status", new { status });

    public static async Task<long> TopUpAsync(this Shop shop, long amountFen)
    {
        var response = await shop.MerchantClient.PostAsJsonAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups", new { amountFen });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balanceFen").GetInt64();
    }

    /// <summary>
    /// Places a one-tea order with <see cref="SampleDelivery"/> that the customer pays from their member card in their own
    /// session: an order they await, which a correction of their delivery readdresses without their naming it (P1.5).
    /// </summary>
    public static async Task<JsonElement> PlacePaidInTheAppAsync(this Shop shop)
    {
        var order = await shop.PlaceOrderAsync(SampleDelivery(), teas: 1, cakes: 0);
        await shop.TopUpAsync(TeaPrice);
        var paid = await shop.CustomerClient.PayAsync(order.Id(), "member-card", TeaPrice);
        Assert.True(paid.StatusCode == HttpStatusCode.Created, await paid.Content.ReadAsStringAsync());
        return order;
    }

    public static async Task<long> BalanceAsync(this Shop shop) =>
        (await shop.MerchantClient.GetFromJsonAsync<JsonElement>(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}")).GetProperty("balanceFen").GetInt64();

    public static string Id(this JsonElement order) => order.GetProperty("orderId").GetString()!;

    /// <summary>The customer cancels their account; the finished request, as support (<paramref name="agent"/>) reads it.</summary>
    public static async Task<JsonElement> CancelCustomerAsync(this PlatformFixture platform, Shop shop, string agent)
    {
        var request = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        return await platform.Client((await platform.EnrolStaffAsync(agent, "support")).ApiKey).WaitUntilDoneAsync(request.RequestId());
    }
}
