using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Retail;

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

    // P1.6 (*reviewer*): the order's id came from the merchant and the key alone. A second till's walk-in sale under a key
    // another till had used was answered 201 with the first's order (its id, paid, its staff id): the second sale was never
    // placed, took no stock, was in no takings, and a till trusting the status handed the goods over unpaid.
    [Fact]
    public async Task P1_6_two_cashiers_walk_in_sales_under_the_same_idempotency_key_are_two_orders_each_taking_its_stock()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 10);
        var second = await till.Owner.EnrolAsync(till.MerchantId, "Zhang Wei", "cashier");
        var secondTill = platform.Client(second.ApiKey);
        var path = $"/v1/merchants/{till.MerchantId}/orders";
        var sale = new { items = new[] { new { sku = "RICE", quantity = 1 } } };

        var first = await Send(till.Cashier, path, "sale-1", sale);
        var firstRetried = await Send(till.Cashier, path, "sale-1", sale);
        var other = await Send(secondTill, path, "sale-1", sale);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>()).Id();
        // The same till's retry is still its one order; the other till's sale is an order of its own, placed by it.
        Assert.Equal(firstId, (await firstRetried.Content.ReadFromJsonAsync<JsonElement>()).Id());
        Assert.NotEqual(firstId, otherId);
        Assert.Equal(till.CashierId, (await till.Owner.OrderAsync(firstId)).GetProperty("staffId").GetString());
        Assert.Equal(second.StaffId, (await till.Owner.OrderAsync(otherId)).GetProperty("staffId").GetString());
        Assert.Equal(8, await till.Owner.StockAsync(till.MerchantId, "RICE"));
        Assert.Equal(2L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM order_index WHERE merchant_id = $1", till.MerchantId));
    }

    // An API host of the previous release still keys an order by the merchant and the key alone while the cluster rolls:
    // another till's sale under an id the first till's order holds is 409 order-exists, not that order answered as its own.
    [Fact]
    public async Task P1_6_another_staff_members_sale_under_an_order_id_already_placed_is_409_not_that_order()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 10);
        var orderId = EntityId.FromIdempotencyKey(EntityId.OrderPrefix, till.MerchantId, "sale-1");
        var sale = new PlaceOrder(till.MerchantId, null, [new OrderItem("RICE", 1)], null, till.CashierId);
        var order = platform.Grains.GetGrain<IOrderGrain>(orderId);
        await order.Place(sale);

        var retried = await order.Place(sale);
        var other = await Assert.ThrowsAsync<DomainException>(() => order.Place(sale with { StaffId = till.ManagerId }));

        Assert.Equal(orderId, retried.OrderId);
        Assert.Equal("order-exists", other.Code);
        Assert.Equal(9, await till.Owner.StockAsync(till.MerchantId, "RICE"));
    }

    // P1.6, P4.4 (*reviewer*): a refund's id came from the order and the key alone, shared by every key of the merchant. A
    // manager refunding the other unit under a key the merchant's own key had used (tills counting their keys) was answered
    // 201 with the first refund: nothing given back, no stock returned.
    [Fact]
    public async Task P1_6_the_merchant_key_and_a_managers_refunds_under_the_same_idempotency_key_are_two_refunds_each_answering_its_retry()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 500, stock: 10);
        var order = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TEA", 2));
        await till.Cashier.PaidAsync(order.Id(), "marked", 1_000);
        var oneTea = new { lines = new[] { new { sku = "TEA", quantity = 1 } } };

        var byOwner = await till.Owner.RefundedAsync(order.Id(), oneTea, "refund-1");
        var byManager = await till.Manager.RefundedAsync(order.Id(), oneTea, "refund-1");
        var ownerRetried = await till.Owner.RefundedAsync(order.Id(), oneTea, "refund-1");
        var managerRetried = await till.Manager.RefundedAsync(order.Id(), oneTea, "refund-1");

        var ownersId = byOwner.GetProperty("refundId").GetString();
        var managersId = byManager.GetProperty("refundId").GetString();
        Assert.NotEqual(ownersId, managersId);
        Assert.Equal(JsonValueKind.Null, byOwner.GetProperty("staffId").ValueKind);
        Assert.Equal(till.ManagerId, byManager.GetProperty("staffId").GetString());
        Assert.Equal(ownersId, ownerRetried.GetProperty("refundId").GetString());
        Assert.Equal(managersId, managerRetried.GetProperty("refundId").GetString());
        var refunded = await till.Owner.OrderAsync(order.Id());
        Assert.Equal("refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(
            new[] { managersId, ownersId }.Order(StringComparer.Ordinal),
            refunded.GetProperty("refunds").EnumerateArray().Select(refund => refund.GetProperty("refundId").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(10, await till.Owner.StockAsync(till.MerchantId, "TEA"));
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
