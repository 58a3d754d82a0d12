namespace MeiLing.Tests.Commerce;

/// <summary>P4.4: an Idempotency-Key is short and plain, or the request is refused before it reaches a grain.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IdempotencyKeyTests(PlatformFixture platform)
{
    public static TheoryData<string> MalformedKeys =>
        [new string('k', 65), "has space", "slash/1", "dot.1", "quote\"1"];

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task P4_4_a_malformed_idempotency_key_is_400_naming_the_header_and_places_nothing(string key)
    {
        var shop = await platform.OpenShopAsync();

        var order = await Send(shop.MerchantClient, $"/v1/merchants/{shop.Merchant.MerchantId}/orders", key,
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        var topUp = await Send(shop.MerchantClient, $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups", key,
            new { amountFen = 500 });

        foreach (var response in new[] { order, topUp })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("Idempotency-Key", problem.GetProperty("header").GetString());
        }

        var orders = await shop.MerchantClient.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/orders");
        Assert.Equal(0, orders.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_idempotency_key_of_64_plain_characters_is_taken()
    {
        var shop = await platform.OpenShopAsync();
        var key = new string('a', 32) + "_-" + new string('Z', 30);

        var response = await Send(shop.MerchantClient, $"/v1/merchants/{shop.Merchant.MerchantId}/orders", key,
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    // P4.4 (*reviewer*): a replay under the order's key rewrote its listing row every time: a till looping one key at wire
    // speed was a write storm on the shared listing table.
    [Fact]
    public async Task P4_4_replays_of_an_order_under_its_idempotency_key_rewrite_its_listing_row_at_most_once()
    {
        var shop = await platform.OpenShopAsync();
        var path = $"/v1/merchants/{shop.Merchant.MerchantId}/orders";
        var body = new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } };
        var placed = await (await Send(shop.MerchantClient, path, "replayed-order", body)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        (await Send(shop.MerchantClient, path, "replayed-order", body)).EnsureSuccessStatusCode();
        var rowVersion = await RowVersionAsync(placed.Id());

        for (var replay = 0; replay < 5; replay++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Send(shop.MerchantClient, path, "replayed-order", body)).StatusCode);
        }

        Assert.Equal(rowVersion, await RowVersionAsync(placed.Id()));
    }

    private Task<string?> RowVersionAsync(string orderId) =>
        platform.Database.ScalarAsync<string>("SELECT xmin::text FROM order_index WHERE order_id = $1", orderId);

    private static Task<HttpResponseMessage> Send(HttpClient client, string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
