using System.Text.Json;
using MeiLing.Tests.Commerce;

namespace MeiLing.Tests.Retail;

[Collection(PlatformCollection.Name)]
public sealed class WalkInSaleTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_walk_in_sale_has_no_user_is_paid_in_cash_and_listed_like_any_other()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "COLA", 300, stock: null);

        var order = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("COLA", 2));
        await till.Cashier.PaidAsync(order.Id(), "marked", 600);

        var read = await till.Owner.OrderAsync(order.Id());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("userId").ValueKind);
        Assert.Equal("paid", read.GetProperty("status").GetString());
        Assert.Equal(till.CashierId, read.GetProperty("staffId").GetString());
        var listed = await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/orders");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), o => o.GetProperty("orderId").GetString() == order.Id());
    }

    // A fulfilment (goods handed over) and a cancellation named nobody: a cashier who handed a paid order's goods to someone
    // else, or cancelled an unpaid one, left no trace of who did it on the order.
    [Fact]
    public async Task P1_6_a_fulfilment_and_a_cancellation_name_the_staff_member_or_the_merchant_key_that_made_them()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "COLA", 300, stock: null);
        var handedOver = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("COLA", 1));
        await till.Cashier.PaidAsync(handedOver.Id(), "marked", 300);
        var dropped = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("COLA", 1));
        var ownersCancel = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("COLA", 1));
        Assert.Equal(JsonValueKind.Null, (await till.Owner.OrderAsync(handedOver.Id())).GetProperty("statusChange").ValueKind);

        (await till.Cashier.SetStatusAsync(handedOver.Id(), "fulfilled")).EnsureSuccessStatusCode();
        (await till.Cashier.SetStatusAsync(dropped.Id(), "cancelled")).EnsureSuccessStatusCode();
        (await till.Owner.SetStatusAsync(ownersCancel.Id(), "cancelled")).EnsureSuccessStatusCode();

        var fulfilment = (await till.Owner.OrderAsync(handedOver.Id())).GetProperty("statusChange");
        var cancellation = (await till.Owner.OrderAsync(dropped.Id())).GetProperty("statusChange");
        Assert.Equal(("fulfilled", till.CashierId), (fulfilment.GetProperty("status").GetString(), fulfilment.GetProperty("by").GetString()));
        Assert.Equal(("cancelled", till.CashierId), (cancellation.GetProperty("status").GetString(), cancellation.GetProperty("by").GetString()));
        Assert.Equal(JsonValueKind.String, fulfilment.GetProperty("at").ValueKind);
        Assert.Equal("merchant", (await till.Owner.OrderAsync(ownersCancel.Id())).GetProperty("statusChange").GetProperty("by").GetString());
    }

    [Fact]
    public async Task A_walk_in_sale_can_be_paid_by_partner()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "COLA", 300, stock: null);
        var order = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("COLA", 1));

        await till.Cashier.PaidAsync(order.Id(), "wechat", 300);

        await till.Owner.WaitForOrderStatusAsync(order.Id(), "paid");
    }

    [Fact]
    public async Task A_walk_in_sale_is_not_paid_from_a_member_card()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "COLA", 300, stock: null);
        var order = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("COLA", 1));

        var response = await till.Cashier.PayAsync(order.Id(), "member-card", 300);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/no-member-card", problem.TypeOf(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_without_a_user_is_400()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "COLA", 300, stock: null);

        var response = await till.Owner.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/orders",
            new { items = new[] { new { sku = "COLA", quantity = 1 } }, delivery = CommerceApiClient.SampleDelivery() });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    // P1.6 (*reviewer*): a new order's stock is taken before its write; a write that failed for anything but a row already
    // there kept the stock taken for an order never stored, and the till's keyless retry minted a new id and took it again:
    // the count went short for good. The merchant's listing rows are refused here, which fails the order's whole unit (its
    // state, listing and facts are written together) for this merchant only: its order id is minted on the server.
    [Fact]
    public async Task P1_6_a_sale_whose_write_failed_gives_its_stock_back_and_its_keyless_retry_takes_it_once()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 1_000, stock: 10);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "OIL", 3_000, stock: 5);

        var failed = await platform.Database.WhileRefusingAsync("order_index", $"NEW.merchant_id = '{till.MerchantId}'",
            () => till.Cashier.SellAsync(till.MerchantId, ("RICE", 2), ("OIL", 1)));
        var afterFailure = (Rice: await till.Owner.StockAsync(till.MerchantId, "RICE"), Oil: await till.Owner.StockAsync(till.MerchantId, "OIL"));
        var retried = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("RICE", 2), ("OIL", 1));

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal((10, 5), afterFailure);
        Assert.Equal(8, await till.Owner.StockAsync(till.MerchantId, "RICE"));
        Assert.Equal(4, await till.Owner.StockAsync(till.MerchantId, "OIL"));
        var listed = (await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/orders")).GetProperty("items");
        Assert.Equal(retried.Id(), Assert.Single(listed.EnumerateArray()).GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task A_cashier_of_one_merchant_cannot_sell_for_another()
    {
        var shopA = await platform.OpenTillAsync("Shop A");
        var shopB = await platform.OpenTillAsync("Shop B");
        await shopB.Owner.AddStockedProductAsync(shopB.MerchantId, "COLA", 300, stock: 5);

        var response = await shopA.Cashier.SellAsync(shopB.MerchantId, ("COLA", 1));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(5, await shopB.Owner.StockAsync(shopB.MerchantId, "COLA"));
    }

    [Fact]
    public async Task A_cashier_cannot_read_or_pay_another_merchants_order()
    {
        var shopA = await platform.OpenTillAsync("Shop A");
        var shopB = await platform.OpenTillAsync("Shop B");
        await shopB.Owner.AddStockedProductAsync(shopB.MerchantId, "COLA", 300, stock: null);
        var order = await shopB.Cashier.WalkInSaleAsync(shopB.MerchantId, ("COLA", 1));

        await (await shopA.Cashier.GetAsync($"/v1/orders/{order.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await shopA.Cashier.PayAsync(order.Id(), "marked", 300)).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
