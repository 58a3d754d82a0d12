using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Commerce;

namespace MeiLing.Tests.Retail;

/// <summary>
/// A new order is written by its customer's grain or, with no customer, by the stateless placer, not by the order's own grain:
/// it inserts, so an id that already names an order (an id minted twice, or a caller inside the cluster that reuses one)
/// can never overwrite it or sell twice.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OrderPlacerTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_order_placed_under_an_id_already_taken_is_refused_takes_no_stock_and_leaves_the_first_order_untouched()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 1_000, stock: 5);
        var first = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TEA", 1));

        var refused = await Assert.ThrowsAsync<DomainException>(() => platform.Grains.GetGrain<IOrderPlacer>(0).PlaceNew(
            first.Id(), new PlaceOrder(till.MerchantId, null, [new OrderItem("TEA", 3)], null)));

        Assert.Equal("order-exists", refused.Code);
        Assert.Equal(4, await till.Owner.StockAsync(till.MerchantId, "TEA"));
        var kept = await till.Owner.OrderAsync(first.Id());
        Assert.Equal(1_000, kept.GetProperty("totalFen").GetInt64());
        Assert.Equal(1, kept.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task A_walk_in_sale_placed_without_an_order_activation_is_paid_read_and_listed()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "BUN", 300, stock: 2);

        var sale = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("BUN", 2));
        await till.Cashier.PaidAsync(sale.Id(), "marked", 600);

        var order = await till.Owner.OrderAsync(sale.Id());
        Assert.Equal("paid", order.GetProperty("status").GetString());
        Assert.Equal(0, await till.Owner.StockAsync(till.MerchantId, "BUN"));
        var listed = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/orders");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), row => row.GetProperty("orderId").GetString() == sale.Id());
    }

    [Fact]
    public async Task A_users_grain_places_orders_for_that_user_only()
    {
        var shop = await platform.OpenShopAsync();
        var other = await platform.OpenShopAsync();
        var command = new PlaceOrder(shop.Merchant.MerchantId, other.Customer.UserId, [new OrderItem("TEA-1", 1)], null);

        var refused = await Assert.ThrowsAsync<DomainException>(() => platform.Grains.GetGrain<IUserOrderPlacer>(shop.Customer.UserId)
            .PlaceNew(EntityId.NewInTimeOrder(EntityId.OrderPrefix), command));

        Assert.Equal("unknown-user", refused.Code);
        var placed = await platform.Grains.PlaceNewOrder(EntityId.NewInTimeOrder(EntityId.OrderPrefix), command);
        Assert.Equal(CommerceApiClient.TeaPrice, placed.TotalFen);
    }

    [Fact]
    public async Task An_order_retried_under_its_key_after_a_first_attempt_placed_it_unanswered_is_that_order_not_a_conflict()
    {
        var shop = await platform.OpenShopAsync();
        var orderId = EntityId.FromIdempotencyKey(EntityId.OrderPrefix, shop.Merchant.MerchantId, Guid.NewGuid().ToString());
        var command = new PlaceOrder(shop.Merchant.MerchantId, shop.Customer.UserId, [new OrderItem("TEA-1", 2)], null);
        // The order's grain is active and has no order (an attempt with a SKU the shop does not sell was refused); the
        // next attempt's placing then went through the customer's grain, but its answer never reached the order's grain.
        var order = platform.Grains.GetGrain<IOrderGrain>(orderId);
        await Assert.ThrowsAsync<DomainException>(() => order.Place(command with { Items = [new OrderItem("NOT-SOLD", 1)] }));
        var first = await platform.Grains.PlaceNewOrder(orderId, command);

        var retried = await order.Place(command);
        var other = await Assert.ThrowsAsync<DomainException>(() => order.Place(command with { Items = [new OrderItem("TEA-1", 3)] }));

        Assert.Equal(first.OrderId, retried.OrderId);
        Assert.Equal(2 * CommerceApiClient.TeaPrice, retried.TotalFen);
        Assert.Equal("order-exists", other.Code);
    }
}
