using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
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
    public Task P1_6_a_sale_whose_write_failed_gives_its_stock_back_and_its_keyless_retry_takes_it_once() =>
        AFailedSaleGivesItsStockBackAndItsRetryTakesItOnceAsync((till, sell) =>
            platform.Database.WhileRefusingAsync("order_index", $"NEW.merchant_id = '{till.MerchantId}'", sell));

    // A sale of two bags of rice and a bottle of oil, refused by the database as `failing` arranges, then retried
    // without a key: the stock is as one sale left it, and the one order listed is the retry's.
    private async Task AFailedSaleGivesItsStockBackAndItsRetryTakesItOnceAsync(
        Func<Till, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>> failing)
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 1_000, stock: 10);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "OIL", 3_000, stock: 5);

        var failed = await failing(till, () => till.Cashier.SellAsync(till.MerchantId, ("RICE", 2), ("OIL", 1)));
        var afterFailure = (Rice: await till.Owner.StockAsync(till.MerchantId, "RICE"), Oil: await till.Owner.StockAsync(till.MerchantId, "OIL"));
        var retried = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("RICE", 2), ("OIL", 1));

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal((10, 5), afterFailure);
        Assert.Equal(8, await till.Owner.StockAsync(till.MerchantId, "RICE"));
        Assert.Equal(4, await till.Owner.StockAsync(till.MerchantId, "OIL"));
        var listed = (await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/orders")).GetProperty("items");
        Assert.Equal(retried.Id(), Assert.Single(listed.EnumerateArray()).GetProperty("orderId").GetString());
    }

    // P1.6 (*reviewer*): a stock grain whose stored version moved (a write that committed while the silo heard an error, or a
    // second activation) kept its stale ETag: Orleans deactivates on a write conflict only when it is the call's final
    // exception, and the infrastructure filter had turned it into a refusal. Every later sale of the product answered 503
    // while the activation stayed busy, and each one lowered the stock in memory.
    [Fact]
    public async Task P1_6_A_stock_grain_whose_stored_version_moved_recovers_on_the_next_sale()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 1_000, stock: 10);
        await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TEA", 1));
        await platform.Database.ScalarAsync<int>(
            "UPDATE orleans_storage SET version = version + 1 WHERE grain_type = 'product-stock' AND grain_id_string = $1 RETURNING version",
            IProductStockGrain.KeyOf(till.MerchantId, "TEA"));

        var conflicted = await till.Cashier.SellAsync(till.MerchantId, ("TEA", 1));
        var next = await till.Cashier.SellAsync(till.MerchantId, ("TEA", 1));

        await conflicted.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.True(next.StatusCode == HttpStatusCode.Created, await next.Content.ReadAsStringAsync());
        Assert.Equal(8, await till.Owner.StockAsync(till.MerchantId, "TEA"));
    }

    // P1.6 (*reviewer*): the same for a grain that changes memory before its write and reads nothing back: a merchant's day of
    // walk-in sales whose stored version moved refused every block a silo asked for, and counted each refused block's uses.
    [Fact]
    public async Task P1_6_a_days_allowance_whose_stored_version_moved_grants_the_next_block_and_counts_only_what_it_granted()
    {
        var key = IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.WalkInSalesByMerchant, $"conflict-{Guid.NewGuid():N}");
        var day = platform.Grains.GetGrain<IDailyAllowanceGrain>(key);
        await day.TakeBlock(1);
        await platform.Database.ScalarAsync<int>(
            "UPDATE orleans_storage SET version = version + 1 WHERE grain_type = 'daily-allowance' AND grain_id_string = $1 RETURNING version", key);

        var conflicted = await Assert.ThrowsAsync<DomainException>(() => day.TakeBlock(1));
        var next = await day.TakeBlock(1);

        Assert.Equal(DomainErrorKind.Unavailable, conflicted.Kind);
        Assert.Equal(1, next.Granted);
        Assert.Equal(2, (await platform.ReadAsync<FixedWindowCount>("dailyallowance", "daily-allowance", key)).Used);
    }

    // P1.6 (*reviewer*): the order's lines are taken together before it is written; when one line's stock grain failed its
    // write, the lines already taken stayed taken for an order never placed, and the till's keyless retry minted a new id
    // and took them again: the counts went short for good. One product's stock row is refused here, so its take fails and
    // the other line's succeeds.
    [Fact]
    public Task P1_6_a_sale_one_of_whose_lines_failed_to_take_gives_back_the_others_and_its_keyless_retry_takes_them_once() =>
        AFailedSaleGivesItsStockBackAndItsRetryTakesItOnceAsync((till, sell) =>
            platform.Database.WhileStateWritesRefusedAsync($"{till.MerchantId}/OIL", sell));

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
