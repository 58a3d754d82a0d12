using System.Text.Json;
using MeiLing.Api.Apis;
using MeiLing.Api.Security;
using MeiLing.Grains.Access;
using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Staff;
using MeiLing.Grains;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.Users;
using Orleans.Core.Internal;

namespace MeiLing.Tests.Retail;

[Collection(PlatformCollection.Name)]
public sealed class CatalogueAndStockTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_product_without_stock_is_not_tracked_and_one_with_stock_lists_it()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "FREE", 100, stock: null);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "COUNTED", 100, stock: 7);

        var free = await till.Cashier.ProductAsync(till.MerchantId, "FREE");
        var counted = await till.Cashier.ProductAsync(till.MerchantId, "COUNTED");

        Assert.Equal(JsonValueKind.Null, free.GetProperty("stock").ValueKind);
        Assert.Equal(7, counted.GetProperty("stock").GetInt32());
        Assert.False(counted.GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task Editing_a_product_changes_new_sales_and_old_orders_keep_their_lines()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 1_000, stock: null);
        var before = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TEA", 1));

        var edited = await till.Manager.PatchAsJsonAsync($"/v1/merchants/{till.MerchantId}/products/TEA", new { name = "Oolong", priceFen = 1_200 });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var after = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TEA", 1));

        Assert.Equal(1_000, before.GetProperty("totalFen").GetInt64());
        Assert.Equal(1_200, after.GetProperty("totalFen").GetInt64());
        var oldLine = (await till.Owner.OrderAsync(before.Id())).GetProperty("lines")[0];
        Assert.Equal(1_000, oldLine.GetProperty("unitPriceFen").GetInt64());
        Assert.Equal("Oolong", (await till.Owner.ProductAsync(till.MerchantId, "TEA")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Editing_with_a_bad_price_is_400_and_an_unknown_sku_404()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 1_000, stock: null);

        await (await till.Owner.PatchAsJsonAsync($"/v1/merchants/{till.MerchantId}/products/TEA", new { priceFen = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await till.Owner.PatchAsJsonAsync($"/v1/merchants/{till.MerchantId}/products/NOPE", new { priceFen = 5 })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_archived_product_is_listed_sells_no_more_and_its_old_orders_stay()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "OLD", 500, stock: null);
        var earlier = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("OLD", 1));

        Assert.Equal(HttpStatusCode.NoContent, (await till.Manager.DeleteAsync($"/v1/merchants/{till.MerchantId}/products/OLD")).StatusCode);
        var sale = await till.Cashier.SellAsync(till.MerchantId, ("OLD", 1));

        var problem = await sale.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/product-archived", problem.TypeOf(), StringComparison.Ordinal);
        Assert.True((await till.Owner.ProductAsync(till.MerchantId, "OLD")).GetProperty("archived").GetBoolean());
        Assert.Equal("OLD", (await till.Owner.OrderAsync(earlier.Id())).GetProperty("lines")[0].GetProperty("sku").GetString());
    }

    // P1.7 (*reviewer*): a manager's product add (at a price of their choosing) and archive (the merchant's best seller) named
    // nobody: the merchant read them as its own key's. Each names the staff member; the merchant key's own name nobody.
    [Fact]
    public async Task P1_7_a_product_names_the_manager_who_added_it_and_the_one_who_archived_it()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "OWN", 500, stock: null);
        var added = await till.Manager.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/products", new { sku = "NEW", name = "New", priceFen = 1 });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await till.Manager.DeleteAsync($"/v1/merchants/{till.MerchantId}/products/OWN")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await till.Owner.DeleteAsync($"/v1/merchants/{till.MerchantId}/products/NEW")).StatusCode);

        var own = await till.Owner.ProductAsync(till.MerchantId, "OWN");
        var theirs = await till.Owner.ProductAsync(till.MerchantId, "NEW");
        var atTheTill = await till.Cashier.ProductAsync(till.MerchantId, "NEW");

        Assert.Equal(till.ManagerId, (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("addedBy").GetString());
        Assert.Equal((JsonValueKind.Null, till.ManagerId), (own.GetProperty("addedBy").ValueKind, own.GetProperty("archivedBy").GetString()));
        Assert.Equal((till.ManagerId, JsonValueKind.Null), (theirs.GetProperty("addedBy").GetString(), theirs.GetProperty("archivedBy").ValueKind));
        // The managers' trail, as the price changes are: a cashier's key reads the catalogue without it.
        Assert.Equal(JsonValueKind.Null, atTheTill.GetProperty("addedBy").ValueKind);
    }

    [Fact]
    public async Task A_cashier_cannot_change_the_catalogue_or_its_stock()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 1_000, stock: 3);

        await (await till.Cashier.PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/products", new { sku = "NEW", name = "New", priceFen = 1 })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Cashier.PatchAsJsonAsync($"/v1/merchants/{till.MerchantId}/products/TEA", new { priceFen = 1 })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Cashier.DeleteAsync($"/v1/merchants/{till.MerchantId}/products/TEA")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await till.Cashier.AdjustStockAsync(till.MerchantId, "TEA", 100)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(3, await till.Owner.StockAsync(till.MerchantId, "TEA"));
    }

    [Fact]
    public async Task A_manager_cannot_change_another_merchants_catalogue()
    {
        var shopA = await platform.OpenTillAsync("Shop A");
        var shopB = await platform.OpenTillAsync("Shop B");
        await shopB.Owner.AddStockedProductAsync(shopB.MerchantId, "TEA", 1_000, stock: 3);

        await (await shopA.Manager.PatchAsJsonAsync($"/v1/merchants/{shopB.MerchantId}/products/TEA", new { priceFen = 1 })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await shopA.Manager.AdjustStockAsync(shopB.MerchantId, "TEA", -3, "damage")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(3, await shopB.Owner.StockAsync(shopB.MerchantId, "TEA"));
    }

    [Fact]
    public async Task Stock_moves_with_a_reason_and_every_movement_is_kept_with_who_and_why()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 5);

        var delivered = await till.Manager.AdjustStockAsync(till.MerchantId, "RICE", 10, "delivery");
        var damaged = await till.Manager.AdjustStockAsync(till.MerchantId, "RICE", -2, "damage");
        var sale = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("RICE", 3));

        Assert.Equal(15, (await delivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.Equal(13, (await damaged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.Equal(10, await till.Owner.StockAsync(till.MerchantId, "RICE"));
        var movements = (await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/products/RICE/stock/movements"))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["sale", "damage", "delivery", "stock-take"], movements.Select(m => m.GetProperty("reason").GetString()));
        Assert.Equal(till.ManagerId, movements[1].GetProperty("staffId").GetString());
        Assert.Equal(sale.Id(), movements[0].GetProperty("orderId").GetString());
        Assert.Equal(till.CashierId, movements[0].GetProperty("staffId").GetString());
    }

    // P1.7: an operator's count of a merchant's stock, and the opening count of a product they added, were recorded with no
    // staff member: the merchant's own key, to the merchant reading its movements, for a hand that was not the merchant's.
    [Fact]
    public async Task P1_7_an_operators_stock_movements_name_the_operator_and_not_the_merchants_own_key()
    {
        var till = await platform.OpenTillAsync();
        var added = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{till.MerchantId}/products", new { sku = "SALT", name = "Salt", priceFen = 300, stock = 4 });

        var damaged = await platform.Operator().AdjustStockAsync(till.MerchantId, "SALT", -1, "damage");
        var delivered = await till.Owner.AdjustStockAsync(till.MerchantId, "SALT", 2, "delivery");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK], [added.StatusCode, damaged.StatusCode, delivered.StatusCode]);
        var movements = (await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/products/SALT/stock/movements"))
            .GetProperty("items").EnumerateArray().ToList();
        string? OperatorOf(JsonElement movement) => movement.GetProperty("operatorId").GetString();
        Assert.Equal(["delivery", "damage", "stock-take"], movements.Select(m => m.GetProperty("reason").GetString()));
        Assert.Equal([null, "operator-bootstrap", "operator-bootstrap"], movements.Select(OperatorOf));
        Assert.All(movements, movement => Assert.Equal(JsonValueKind.Null, movement.GetProperty("staffId").ValueKind));
    }

    // P1.7, P4.4: a price change recorded nobody. A manager could drop a price, let a friend's sale through at it and put
    // it back; the merchant saw the order's line and nothing that said who moved the price, or that it ever moved.
    [Fact]
    public async Task P1_7_P4_4_a_price_dropped_for_one_sale_and_put_back_shows_both_changes_with_who_made_them()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TV", 300_000, stock: null);
        var products = $"/v1/merchants/{till.MerchantId}/products";

        var dropped = await till.Manager.PatchAsJsonAsync($"{products}/TV", new { priceFen = 1 });
        var sale = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TV", 1));
        var restored = await till.Manager.PatchAsJsonAsync($"{products}/TV", new { priceFen = 300_000 });
        var renamed = await till.Owner.PatchAsJsonAsync($"{products}/TV", new { name = "Television" });
        var byOperator = await platform.Operator().PatchAsJsonAsync($"{products}/TV", new { priceFen = 299_000 });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [dropped.StatusCode, restored.StatusCode, renamed.StatusCode, byOperator.StatusCode]);
        Assert.Equal(1, sale.GetProperty("totalFen").GetInt64());
        var changes = (await till.Owner.GetFromJsonAsync<JsonElement>($"{products}/TV/price-changes"))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([(300_000L, 299_000L), (1L, 300_000L), (300_000L, 1L)],
            changes.Select(c => (c.GetProperty("previousPriceFen").GetInt64(), c.GetProperty("priceFen").GetInt64())));
        Assert.Equal([null, till.ManagerId, till.ManagerId], changes.Select(c => c.GetProperty("staffId").GetString()));
        Assert.Equal(["operator-bootstrap", null, null], changes.Select(c => c.GetProperty("operatorId").GetString()));

        var onePage = await till.Manager.GetFromJsonAsync<JsonElement>($"{products}/TV/price-changes?limit=2");
        var rest = await till.Manager.GetFromJsonAsync<JsonElement>($"{products}/TV/price-changes?limit=2&cursor={onePage.GetProperty("nextCursor").GetString()}");
        Assert.Equal(changes[2].GetProperty("changeId").GetString(), Assert.Single(rest.GetProperty("items").EnumerateArray()).GetProperty("changeId").GetString());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task P1_7_a_cashier_reads_no_price_changes_and_an_unknown_product_or_cursor_is_refused()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 1_000, stock: null);
        var products = $"/v1/merchants/{till.MerchantId}/products";

        Assert.Equal(HttpStatusCode.Forbidden, (await till.Cashier.GetAsync($"{products}/TEA/price-changes")).StatusCode);
        await (await till.Owner.GetAsync($"{products}/NOPE/price-changes")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await till.Owner.GetAsync($"{products}/TEA/price-changes?cursor=stm_00000000000000000000000000")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await till.Owner.GetFromJsonAsync<JsonElement>($"{products}/TEA/price-changes")).GetProperty("items").EnumerateArray());
    }

    // P4.4: each adjustment writes the product's stock and a movement kept for good, and nothing bounded how many a
    // manager's key (or a script holding it) made: a write storm, and a movement list grown without end.
    [Fact]
    public async Task P4_4_one_merchants_keys_together_make_a_days_allowance_of_stock_adjustments_and_no_more()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 5);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < TestSiloConfigurator.StockAdjustmentsPerMerchantPerDay; i++)
        {
            answers.Add((await till.Manager.AdjustStockAsync(till.MerchantId, "RICE", 1)).StatusCode);
        }

        var byTheMerchantsOwnKey = await till.Owner.AdjustStockAsync(till.MerchantId, "RICE", 1);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer));
        Assert.EndsWith("/quota-exceeded", (await byTheMerchantsOwnKey.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(byTheMerchantsOwnKey.Headers.RetryAfter);
        Assert.Equal(5 + TestSiloConfigurator.StockAdjustmentsPerMerchantPerDay, await till.Owner.StockAsync(till.MerchantId, "RICE"));
    }

    // P4.4: a walk-in sale names no user, so it counted against no one's day: a till's key placed them at its rate limit,
    // each an order, a listing row and a row per line kept for good, with no bound but the rate.
    [Fact]
    public async Task P4_4_one_merchants_keys_together_make_a_days_allowance_of_walk_in_sales_and_no_more()
    {
        var till = await platform.OpenTillAsync("Busy Market");
        await till.Owner.AddStockedProductAsync(till.MerchantId, "GUM", 100, stock: null);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 5);
        // The day spent through the grains, as fast as the till's keys could (over HTTP it is the same call); the day's
        // count, written every hundred sales, is written as its activation leaves too, and read back whole.
        const int BeforeTheCountLeaves = TestSiloConfigurator.WalkInSalesPerMerchantPerDay - 50;
        await SellWalkInsAsync(till.MerchantId, BeforeTheCountLeaves);
        await platform.Grains.GetGrain<IDailyAllowanceGrain>(IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.WalkInSalesByMerchant, till.MerchantId))
            .Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await SellWalkInsAsync(till.MerchantId, TestSiloConfigurator.WalkInSalesPerMerchantPerDay - BeforeTheCountLeaves);

        var byTheCashier = await till.Cashier.SellAsync(till.MerchantId, ("GUM", 1));
        var byTheOwner = await till.Owner.SellAsync(till.MerchantId, ("GUM", 1));
        // Its stock is not taken on a silo already refused the day, and given back where this is the first refusal.
        var ofStock = await till.Owner.SellAsync(till.MerchantId, ("RICE", 2));

        Assert.Equal((int?)5, await till.Owner.StockAsync(till.MerchantId, "RICE"));
        foreach (var refused in new[] { byTheCashier, byTheOwner, ofStock })
        {
            Assert.EndsWith("/quota-exceeded", (await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        Assert.Equal((long)TestSiloConfigurator.WalkInSalesPerMerchantPerDay, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE merchant_id = $1", till.MerchantId));
    }

    // P4.4 (*reviewer*): the day's sale was taken before the stock, so a sale refused as out of stock spent one all the same:
    // one cashier's key looping an empty shelf spent the shop's whole day, and every till and the owner got 429 till midnight.
    [Fact]
    public async Task P4_4_sales_refused_for_their_stock_spend_none_of_the_merchants_day()
    {
        var till = await platform.OpenTillAsync("Empty Shelf Market");
        await till.Owner.AddStockedProductAsync(till.MerchantId, "GUM", 100, stock: null);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SOLD-OUT", 100, stock: 0);

        var refused = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, TestSiloConfigurator.WalkInSalesPerMerchantPerDay + 100), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (_, _) =>
        {
            var attempt = await Record.ExceptionAsync(() => platform.Grains.GetGrain<IOrderGrain>(EntityId.NewInTimeOrder(EntityId.OrderPrefix))
                .Place(new PlaceOrder(till.MerchantId, null, [new OrderItem("SOLD-OUT", 1)], null)));
            if (attempt is DomainException { Code: "out-of-stock" })
            {
                Interlocked.Increment(ref refused);
            }
        });
        var byTheOwner = await till.Owner.SellAsync(till.MerchantId, ("GUM", 1));

        Assert.Equal(TestSiloConfigurator.WalkInSalesPerMerchantPerDay + 100, refused);
        Assert.Equal(HttpStatusCode.Created, byTheOwner.StatusCode);
        Assert.Equal((int?)0, await till.Owner.StockAsync(till.MerchantId, "SOLD-OUT"));
    }

    // P4.4 (*reviewer*): a sale refused for a spent day took its stock first and then gave it back: a cashier's key looping
    // a 100-line order once the day was spent wrote 200 stock states and 200 movements kept for good per 429, and the
    // movements listed sales that never happened. A silo refused the day once refuses it until it ends, taking nothing.
    [Fact]
    public async Task P4_4_sales_refused_for_a_spent_day_take_and_release_no_stock()
    {
        var till = await platform.OpenTillAsync("Spent Day Market");
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 5);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SALT", 300, stock: 5);
        var merchantsDay = platform.Grains.GetGrain<IDailyAllowanceGrain>(
            IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.WalkInSalesByMerchant, till.MerchantId));
        for (var taken = 0; taken < TestSiloConfigurator.WalkInSalesPerMerchantPerDay; taken++)
        {
            await merchantsDay.Take();
        }

        // Each silo hears the day is spent once, as the first sale it refuses would (that sale's stock is taken and given
        // back: it could not know), so the sales below are refused whichever silo places them.
        foreach (var silo in platform.EverySilo)
        {
            var spent = await Assert.ThrowsAsync<DomainException>(() =>
                silo.GetRequiredService<AllowanceLeases>().TakeSaleAsync(DailyAllowanceKind.WalkInSalesByMerchant, till.MerchantId));
            Assert.Equal("quota-exceeded", spent.Code);
        }

        var refused = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            refused.Add(await till.Cashier.SellAsync(till.MerchantId, ("RICE", 1), ("SALT", 2)));
        }

        foreach (var answer in refused)
        {
            Assert.EndsWith("/quota-exceeded", (await answer.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
            Assert.NotNull(answer.Headers.RetryAfter);
        }

        Assert.Equal((int?)5, await till.Owner.StockAsync(till.MerchantId, "RICE"));
        Assert.Equal((int?)5, await till.Owner.StockAsync(till.MerchantId, "SALT"));
        // The opening count alone: no sale taken, and none given back.
        Assert.Equal(1, await MovementCountAsync(till, "RICE"));
        Assert.Equal(1, await MovementCountAsync(till, "SALT"));
    }

    private Task SellWalkInsAsync(string merchantId, int count) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (_, _) =>
            await platform.Grains.GetGrain<IOrderGrain>(EntityId.NewInTimeOrder(EntityId.OrderPrefix))
                .Place(new PlaceOrder(merchantId, null, [new OrderItem("GUM", 1)], null)));

    // P4.4: each product edit rewrote the whole catalogue and told every silo to forget its prices, with no day's bound, even
    // an edit that changed nothing: a script holding a manager's key kept the cluster busy without end.
    [Fact]
    public async Task P4_4_one_merchants_keys_together_make_a_days_allowance_of_product_edits_and_an_edit_changing_nothing_counts_none()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 5);
        var product = $"/v1/merchants/{till.MerchantId}/products/RICE";

        var unchanged = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * TestSiloConfigurator.CatalogueEditsPerMerchantPerDay; i++)
        {
            unchanged.Add((await till.Manager.PatchAsJsonAsync(product, new { priceFen = 2_000 })).StatusCode);
        }

        var edits = new List<HttpStatusCode>();
        for (var i = 1; i <= TestSiloConfigurator.CatalogueEditsPerMerchantPerDay; i++)
        {
            edits.Add((await till.Manager.PatchAsJsonAsync(product, new { priceFen = 2_000 + i })).StatusCode);
        }

        var byTheMerchantsOwnKey = await till.Owner.PatchAsJsonAsync(product, new { priceFen = 1 });

        Assert.All(unchanged.Concat(edits), answer => Assert.Equal(HttpStatusCode.OK, answer));
        Assert.EndsWith("/quota-exceeded", (await byTheMerchantsOwnKey.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        var listed = (await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/products")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(2_000 + TestSiloConfigurator.CatalogueEditsPerMerchantPerDay, listed.GetProperty("priceFen").GetInt64());
    }

    // P4.4 (*reviewer*): a manager's key posting impossible counts spent the merchant's day of stock adjustments, every one
    // refused and none recorded: every till's counts froze until the day turned, and nothing said who.
    [Fact]
    public async Task P4_4_stock_adjustments_refused_for_the_stock_spend_none_of_the_merchants_day()
    {
        var till = await platform.OpenTillAsync("Impossible Counts");
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 5);

        var refused = new List<HttpResponseMessage>();
        for (var i = 0; i < TestSiloConfigurator.StockAdjustmentsPerMerchantPerDay + 5; i++)
        {
            refused.Add(await till.Manager.AdjustStockAsync(till.MerchantId, "RICE", -1_000_000));
        }

        var byTheOwner = await till.Owner.AdjustStockAsync(till.MerchantId, "RICE", 1);

        Assert.All(refused, answer => Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode));
        Assert.Equal(HttpStatusCode.OK, byTheOwner.StatusCode);
        Assert.Equal((int?)6, await till.Owner.StockAsync(till.MerchantId, "RICE"));
    }

    // P4.4 (*reviewer*): a manager's adds cost the merchant nothing of its day: a key adding and archiving in a loop rewrote the
    // whole catalogue on every call and filled it for good. A staff member's add counts as an edit; the owner's does not.
    [Fact]
    public async Task P4_4_a_managers_product_adds_spend_the_merchants_day_of_catalogue_edits()
    {
        var till = await platform.OpenTillAsync("Busy Catalogue");
        var products = $"/v1/merchants/{till.MerchantId}/products";

        var added = new List<HttpStatusCode>();
        for (var i = 0; i < TestSiloConfigurator.CatalogueEditsPerMerchantPerDay; i++)
        {
            added.Add((await till.Manager.PostAsJsonAsync(products, new { sku = $"JUNK-{i}", name = "Junk", priceFen = 1 })).StatusCode);
        }

        var oneMore = await till.Manager.PostAsJsonAsync(products, new { sku = "JUNK-MORE", name = "Junk", priceFen = 1 });
        var byTheOwner = await till.Owner.PostAsJsonAsync(products, new { sku = "REAL", name = "Real tea", priceFen = 1_500 });

        Assert.All(added, answer => Assert.Equal(HttpStatusCode.Created, answer));
        Assert.EndsWith("/quota-exceeded", (await oneMore.AssertProblemAsync(HttpStatusCode.TooManyRequests)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, byTheOwner.StatusCode);
    }

    [Fact]
    public async Task Stock_below_zero_is_409_and_nothing_changes()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 2);

        var response = await till.Manager.AdjustStockAsync(till.MerchantId, "RICE", -3, "stock-take");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/stock-below-zero", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal(2, await till.Owner.StockAsync(till.MerchantId, "RICE"));
    }

    [Fact]
    public async Task A_refused_first_count_leaves_the_product_untracked_and_its_cancelled_sales_make_no_stock()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "LOOSE", 100, stock: null);

        await (await till.Manager.AdjustStockAsync(till.MerchantId, "LOOSE", -1, "damage")).AssertProblemAsync(HttpStatusCode.Conflict);
        var sale = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("LOOSE", 999));
        var cancelled = await till.Cashier.SetStatusAsync(sale.Id(), "cancelled");

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Null(await till.Owner.StockAsync(till.MerchantId, "LOOSE"));
    }

    [Fact]
    public async Task A_stock_adjustment_needs_a_known_reason_and_a_known_product()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 2);

        await (await till.Manager.AdjustStockAsync(till.MerchantId, "RICE", 1, "sale")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await till.Manager.AdjustStockAsync(till.MerchantId, "RICE", 1, "theft-by-owner")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await till.Manager.AdjustStockAsync(till.MerchantId, "NOPE", 1)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_retried_stock_adjustment_with_its_idempotency_key_counts_once()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 0);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/merchants/{till.MerchantId}/products/RICE/stock")
            {
                Content = JsonContent.Create(new { delta = 4, reason = "delivery" }),
            };
            request.Headers.Add("Idempotency-Key", "delivery-2026-12-02");
            Assert.Equal(HttpStatusCode.OK, (await till.Manager.SendAsync(request)).StatusCode);
        }

        Assert.Equal(4, await till.Owner.StockAsync(till.MerchantId, "RICE"));
    }

    [Fact]
    public async Task A_stock_adjustment_reusing_another_ones_idempotency_key_is_409_and_moves_nothing()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "OIL", 3_000, stock: 0);
        Assert.Equal(HttpStatusCode.OK, (await AdjustAsync(till, "OIL", 6, "delivery", "oil-delivery")).StatusCode);

        var other = await AdjustAsync(till, "OIL", -2, "damage", "oil-delivery");

        Assert.EndsWith("/idempotency-key-reused", (await other.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(6, await till.Owner.StockAsync(till.MerchantId, "OIL"));
    }

    // P1.6, P4.4 (*reviewer*): the key alone was the operation, shared by every key of the merchant: manager B's delivery under
    // a key manager A had used, for the same delta, was answered as A's retry (200 with A's old count), nothing moved, no
    // movement kept, and a day's adjustment spent.
    [Fact]
    public async Task P1_6_two_managers_deliveries_under_the_same_idempotency_key_each_move_the_stock_and_are_each_kept()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "OIL", 3_000, stock: 0);
        var other = await till.Owner.EnrolAsync(till.MerchantId, "Zhao Lei", "manager");
        var otherManager = platform.Client(other.ApiKey);

        var byA = await AdjustAsync(till.Manager, till.MerchantId, "OIL", 6, "delivery", "delivery-1");
        var retriedByA = await AdjustAsync(till.Manager, till.MerchantId, "OIL", 6, "delivery", "delivery-1");
        var byB = await AdjustAsync(otherManager, till.MerchantId, "OIL", 6, "delivery", "delivery-1");

        Assert.Equal(6, (await byA.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.Equal(6, (await retriedByA.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.Equal(12, (await byB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.Equal(12, await till.Owner.StockAsync(till.MerchantId, "OIL"));
        var movements = (await till.Owner.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/products/OIL/stock/movements"))
            .GetProperty("items").EnumerateArray().Where(movement => movement.GetProperty("reason").GetString() == "delivery").ToList();
        Assert.Equal(2, movements.Count);
        Assert.Equal(
            new[] { other.StaffId, till.ManagerId },
            movements.Select(movement => movement.GetProperty("staffId").GetString()));
    }

    // An adjustment made under the previous release's id for a key (the key alone), retried across the deploy, counts once
    // for the caller who made it; another key's adjustment under that key is its own.
    [Fact]
    public async Task P1_6_an_adjustment_made_under_the_previous_releases_key_counts_once_for_its_maker_only()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "FLOUR", 300, stock: 0);
        Assert.Equal(5, await platform.Grains.GetGrain<ICatalogueGrain>(till.MerchantId)
            .AdjustStock("FLOUR", new StockAdjustment(StockAdjustment.ForPreviousKey("flour-delivery"), 5, StockReason.Delivery, till.ManagerId)));

        var retried = await AdjustAsync(till.Manager, till.MerchantId, "FLOUR", 5, "delivery", "flour-delivery");
        var byTheOwner = await AdjustAsync(till.Owner, till.MerchantId, "FLOUR", 5, "delivery", "flour-delivery");

        Assert.Equal(5, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.Equal(10, (await byTheOwner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stock").GetInt32());
        Assert.Equal(10, await till.Owner.StockAsync(till.MerchantId, "FLOUR"));
    }

    // The stock grain remembers its last 1,000 operations, sales among them: a key older than that was applied again, and
    // the same key with another delta too, instead of 409.
    [Fact]
    public async Task P4_4_an_idempotency_key_replayed_after_a_thousand_later_movements_still_counts_once_and_another_delta_is_409()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SALT", 300, stock: 0);
        Assert.Equal(HttpStatusCode.OK, (await AdjustAsync(till, "SALT", 50, "delivery", "salt-delivery")).StatusCode);
        await MoveAThousandTimesAsync(till, "SALT");

        var replayed = await AdjustAsync(till, "SALT", 50, "delivery", "salt-delivery");
        var reused = await AdjustAsync(till, "SALT", -2, "damage", "salt-delivery");

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        await reused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(50, await till.Owner.StockAsync(till.MerchantId, "SALT"));
    }

    // The state is written before the movement's row: a crash in between left no row, and once the state forgot the key, a
    // replay found nothing and moved the stock again.
    [Fact]
    public async Task P4_4_a_keyed_stock_movement_whose_row_was_lost_is_recorded_again_by_its_retry_and_still_counts_once_later()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SUGAR", 300, stock: 0);
        Assert.Equal(HttpStatusCode.OK, (await AdjustAsync(till, "SUGAR", 20, "delivery", "sugar-delivery")).StatusCode);
        await platform.Database.ScalarAsync<int>(
            "WITH gone AS (DELETE FROM stock_movements WHERE merchant_id = $1 AND sku = 'SUGAR' RETURNING 1) SELECT count(*)::int FROM gone", till.MerchantId);

        Assert.Equal(HttpStatusCode.OK, (await AdjustAsync(till, "SUGAR", 20, "delivery", "sugar-delivery")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdjustAsync(till, "SUGAR", 20, "delivery", "sugar-delivery")).StatusCode);
        await MoveAThousandTimesAsync(till, "SUGAR");

        var replayed = await AdjustAsync(till, "SUGAR", 20, "delivery", "sugar-delivery");

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(20, await till.Owner.StockAsync(till.MerchantId, "SUGAR"));
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM stock_movements WHERE merchant_id = $1 AND sku = 'SUGAR' AND operation LIKE 'key:%/sugar-delivery'", till.MerchantId));
    }

    // P4.4: the listing answered the newest 200 with no next page: anyone at the till buried a manager's write-off under
    // 200 sales and returns of their own (each cancelled walk-in sale writes two movements), and no route reached it again.
    [Fact]
    public async Task P4_4_a_write_off_stays_reachable_however_many_movements_come_after_it()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "WINE", 5_000, stock: 100);
        Assert.Equal(HttpStatusCode.OK, (await AdjustAsync(till, "WINE", -50, "damage", "wine-write-off")).StatusCode);
        await MoveAThousandTimesAsync(till, "WINE");

        var listed = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await till.Manager.GetFromJsonAsync<JsonElement>(
                $"/v1/merchants/{till.MerchantId}/products/WINE/stock/movements?limit=200" + (cursor is null ? "" : $"&cursor={cursor}"));
            listed.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        var madeUpCursor = await till.Manager.GetAsync($"/v1/merchants/{till.MerchantId}/products/WINE/stock/movements?cursor=not-a-cursor");

        Assert.Single(listed, movement => movement.GetProperty("reason").GetString() == "damage" && movement.GetProperty("delta").GetInt32() == -50);
        Assert.True(listed.Count > 1_000, $"{listed.Count} movements listed");
        Assert.Equal(listed.Count, listed.Select(movement => movement.GetProperty("movementId").GetString()).Distinct().Count());
        await madeUpCursor.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    // A thousand counts up and down, more than the stock grain remembers, leaving the stock as it was.
    private async Task MoveAThousandTimesAsync(Till till, string sku)
    {
        var stock = platform.Grains.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(till.MerchantId, sku));
        for (var i = 0; i < 1_000; i++)
        {
            await stock.Adjust(new StockAdjustment(EntityId.NewInTimeOrder(EntityId.StockMovementPrefix), i % 2 == 0 ? 1 : -1, StockReason.StockTake, null));
        }
    }

    private static Task<HttpResponseMessage> AdjustAsync(Till till, string sku, int delta, string reason, string idempotencyKey) =>
        AdjustAsync(till.Manager, till.MerchantId, sku, delta, reason, idempotencyKey);

    private static async Task<HttpResponseMessage> AdjustAsync(HttpClient client, string merchantId, string sku, int delta, string reason, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/merchants/{merchantId}/products/{sku}/stock")
        {
            Content = JsonContent.Create(new { delta, reason }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    // P1.6: an order's total had no cap: 100 lines of 999 at the highest price came to 10^13 fen, and a million such sales
    // (each taken in cash) overflowed the day's report sum, so that day's report, refunds by staff included, failed for good.
    [Fact]
    public async Task P1_6_an_order_past_the_largest_total_is_400_order_too_large_and_takes_no_stock()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "GOLD-BAR", ICatalogueGrain.MaxPriceFen, stock: 20);
        var largest = (int)(IOrderGrain.MaxTotalFen / ICatalogueGrain.MaxPriceFen);

        var tooLarge = await till.Cashier.SellAsync(till.MerchantId, ("GOLD-BAR", largest + 1));
        var stockAfterRefusal = await till.Owner.StockAsync(till.MerchantId, "GOLD-BAR");
        var atTheMost = await till.Cashier.SellAsync(till.MerchantId, ("GOLD-BAR", largest));

        Assert.EndsWith("/order-too-large", (await tooLarge.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(20, stockAfterRefusal);
        Assert.Equal(HttpStatusCode.Created, atTheMost.StatusCode);
    }

    [Fact]
    public async Task An_order_short_of_one_line_is_409_out_of_stock_naming_it_and_takes_nothing()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "PLENTY", 100, stock: 10);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SCARCE", 100, stock: 1);

        var response = await till.Cashier.SellAsync(till.MerchantId, ("PLENTY", 3), ("SCARCE", 2));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/out-of-stock", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Contains("SCARCE", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, await till.Owner.StockAsync(till.MerchantId, "PLENTY"));
        Assert.Equal(1, await till.Owner.StockAsync(till.MerchantId, "SCARCE"));
    }

    // P4.4: the other lines were taken, then released: a refused order of 100 lines wrote 99 products' state twice and 198
    // movement rows, and a till placing such orders at its key's 1,000 a second was a write storm.
    [Fact]
    public async Task P4_4_an_order_short_of_one_line_writes_nothing_for_its_other_lines()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "PLENTY", 100, stock: 10);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SCARCE", 100, stock: 1);
        var movementsBefore = await MovementCountAsync(till, "PLENTY");

        for (var i = 0; i < 3; i++)
        {
            await (await till.Cashier.SellAsync(till.MerchantId, ("PLENTY", 3), ("SCARCE", 2))).AssertProblemAsync(HttpStatusCode.Conflict);
        }

        Assert.Equal(movementsBefore, await MovementCountAsync(till, "PLENTY"));
        Assert.Equal(10, await till.Owner.StockAsync(till.MerchantId, "PLENTY"));
    }

    // An attempt that took one line and died before giving it back leaves the take under the order's sale: refused on its
    // retry by the read before any take, the order held that stock for good.
    [Fact]
    public async Task P4_4_a_retried_order_refused_for_stock_gives_back_what_an_earlier_attempt_took()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "PLENTY", 100, stock: 10);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SCARCE", 100, stock: 0);
        var orderId = OrdersApi.OrderIdForKey(till.MerchantId, CallerClaims.Principal(
            new ApiKeyGrant(CallerRole.Merchant, till.MerchantId, DateTimeOffset.UtcNow, till.CashierId, StaffRole.Cashier), "api-key"), "till-1-sale-43");
        await platform.Grains.GetGrain<IProductStockGrain>(IProductStockGrain.KeyOf(till.MerchantId, "PLENTY"))
            .TryTake(new StockAdjustment($"sale:{orderId}", -3, StockReason.Sale, till.CashierId, orderId));
        using var retry = new HttpRequestMessage(HttpMethod.Post, $"/v1/merchants/{till.MerchantId}/orders")
        {
            Content = JsonContent.Create(new { items = new[] { new { sku = "PLENTY", quantity = 3 }, new { sku = "SCARCE", quantity = 1 } } }),
        };
        retry.Headers.Add("Idempotency-Key", "till-1-sale-43");

        var refused = await till.Cashier.SendAsync(retry);

        Assert.EndsWith("/out-of-stock", (await refused.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(10, await till.Owner.StockAsync(till.MerchantId, "PLENTY"));
    }

    // An order placed whose answer was lost is placed again by its retry (its grain had not read its row yet). The read
    // before taking counted the order's own take as gone from the shelf: the retry was refused 409 and the placed order's
    // stock went back on the shelf, to be sold twice.
    [Fact]
    public async Task P4_4_a_retry_of_a_placed_order_keeps_its_stock_taken()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "PLENTY", 100, stock: 10);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SCARCE", 100, stock: 1);
        var customer = await platform.RegisterUserAsync();
        var orderId = EntityId.FromIdempotencyKey(EntityId.OrderPrefix, till.MerchantId, "till-1-sale-44");
        var order = new PlaceOrder(till.MerchantId, customer.UserId, [new OrderItem("PLENTY", 3), new OrderItem("SCARCE", 1)], null, till.CashierId);
        await platform.Grains.PlaceNewOrder(orderId, order);

        var retry = await Assert.ThrowsAsync<DomainException>(() => platform.Grains.PlaceNewOrder(orderId, order));

        Assert.Equal("order-exists", retry.Code);
        Assert.Equal(7, await till.Owner.StockAsync(till.MerchantId, "PLENTY"));
        Assert.Equal(0, await till.Owner.StockAsync(till.MerchantId, "SCARCE"));
    }

    private static async Task<int> MovementCountAsync(Till till, string sku) =>
        (await till.Manager.GetFromJsonAsync<JsonElement>($"/v1/merchants/{till.MerchantId}/products/{sku}/stock/movements?limit=200"))
            .GetProperty("items").GetArrayLength();

    [Fact]
    public async Task An_order_refused_for_stock_takes_it_when_retried_with_its_key_after_a_delivery()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "PLENTY", 100, stock: 10);
        await till.Owner.AddStockedProductAsync(till.MerchantId, "SCARCE", 100, stock: 0);

        async Task<HttpResponseMessage> PlaceAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/merchants/{till.MerchantId}/orders")
            {
                Content = JsonContent.Create(new { items = new[] { new { sku = "PLENTY", quantity = 1 }, new { sku = "SCARCE", quantity = 1 } } }),
            };
            request.Headers.Add("Idempotency-Key", "till-1-sale-42");
            return await till.Cashier.SendAsync(request);
        }

        await (await PlaceAsync()).AssertProblemAsync(HttpStatusCode.Conflict);
        await till.Manager.AdjustStockAsync(till.MerchantId, "SCARCE", 1);
        Assert.Equal(HttpStatusCode.Created, (await PlaceAsync()).StatusCode);

        Assert.Equal(9, await till.Owner.StockAsync(till.MerchantId, "PLENTY"));
        Assert.Equal(0, await till.Owner.StockAsync(till.MerchantId, "SCARCE"));
    }

    [Fact]
    public async Task Cancelling_an_order_gives_its_stock_back_once()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "RICE", 2_000, stock: 5);
        var order = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("RICE", 2));
        Assert.Equal(3, await till.Owner.StockAsync(till.MerchantId, "RICE"));

        Assert.Equal(HttpStatusCode.OK, (await till.Cashier.SetStatusAsync(order.Id(), "cancelled")).StatusCode);
        await (await till.Cashier.SetStatusAsync(order.Id(), "cancelled")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(5, await till.Owner.StockAsync(till.MerchantId, "RICE"));
    }

    [Fact]
    public async Task A_hundred_concurrent_orders_for_ten_items_sell_exactly_ten()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "LAST", 999, stock: 10);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => till.Cashier.SellAsync(till.MerchantId, ("LAST", 1))));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(90, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, await till.Owner.StockAsync(till.MerchantId, "LAST"));
    }

    // Every product's stock is its own grain, and quoting is a read-only (interleaving) call on the catalogue: a thousand
    // products sell at once, each sale queuing only behind sales of the same product.
    [Fact]
    public async Task A_thousand_products_sell_concurrently_each_from_its_own_stock()
    {
        var till = await platform.OpenTillAsync("Supermarket");
        var catalogue = platform.Grains.GetGrain<ICatalogueGrain>(till.MerchantId);
        var skus = Enumerable.Range(0, 1_000).Select(i => $"SKU-{i:D4}").ToList();
        foreach (var batch in skus.Chunk(100))
        {
            await Task.WhenAll(batch.Select(sku => catalogue.AddWithStockAsync(sku)));
        }

        var placed = new System.Collections.Concurrent.ConcurrentBag<OrderView>();
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = 200 }, async (sku, _) =>
            placed.Add(await platform.Grains.GetGrain<IOrderGrain>($"ord_{Guid.NewGuid():N}")
                .Place(new PlaceOrder(till.MerchantId, null, [new OrderItem(sku, 1)], null))));

        Assert.Equal(1_000, placed.Count);
        var first = await catalogue.List(null, ICatalogueGrain.MaxPageSize);
        var second = await catalogue.List(first.Items[^1].Sku, ICatalogueGrain.MaxPageSize);
        var listed = first.Items.Concat(second.Items).ToList();
        Assert.False(second.More);
        Assert.Equal(1_000, listed.Count);
        Assert.All(listed, product => Assert.Equal(1, product.Stock));
    }
}

internal static class CatalogueGrainTestExtensions
{
    // Adds are one write each to the catalogue's state; the test arranges them in batches, not one by one over HTTP.
    public static Task<Product> AddWithStockAsync(this ICatalogueGrain catalogue, string sku) =>
        catalogue.Add(new Product(sku, sku, 100, null, default), initialStock: 2, staffId: null);
}
