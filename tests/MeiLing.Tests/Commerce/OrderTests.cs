using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Staff;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Retail;
using MeiLing.Tests.Users;
using Microsoft.Extensions.Options;
using Orleans.Core.Internal;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class OrderTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_4_the_total_comes_from_the_catalogue_not_the_client()
    {
        var shop = await platform.OpenShopAsync();

        var response = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders", new
        {
            userId = shop.Customer.UserId,
            items = new[] { new { sku = "TEA-1", quantity = 3, priceFen = 1 } },
            totalFen = 1,
        });

        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(3 * CommerceApiClient.TeaPrice, order.GetProperty("totalFen").GetInt64());
        Assert.Equal("pending-payment", order.GetProperty("status").GetString());
    }

    [Fact]
    public async Task P1_4_each_order_is_its_own_record_readable_by_its_merchant_and_its_user()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();

        var byMerchant = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{placed.Id()}");
        var byUser = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{placed.Id()}");

        Assert.Equal(placed.Id(), byMerchant.GetProperty("orderId").GetString());
        Assert.Equal(2, byUser.GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task P1_10_an_order_records_the_lawful_basis_of_its_processing()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();

        var stored = await platform.ReadAsync<OrderState>("order", "order", placed.Id());
        var shown = await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{placed.Id()}");

        Assert.Equal(LawfulBasis.ContractNecessity, stored.Basis?.Basis);
        Assert.Equal("contract-necessity", shown.GetProperty("basis").GetString());
    }

    [Fact]
    public async Task Another_merchants_or_users_order_is_404()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();
        var otherMerchant = platform.Client((await platform.CreateMerchantAsync("Snoop")).ApiKey);
        var otherUser = await platform.AsUserAsync(await platform.RegisterUserAsync());

        await (await otherMerchant.GetAsync($"/v1/orders/{placed.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherUser.GetAsync($"/v1/orders/{placed.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherMerchant.PayAsync(placed.Id(), "marked", 100)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherMerchant.SetStatusAsync(placed.Id(), "cancelled")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Partial_payments_add_up_to_paid_then_fulfilled()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        var first = await shop.MerchantClient.PayAsync(placed.Id(), "marked", 800);
        var second = await shop.CustomerClient.PayAsync(placed.Id(), "alipay", 1_000);
        var pending = await second.Content.ReadFromJsonAsync<JsonElement>();
        var paid = await shop.CustomerClient.WaitForOrderStatusAsync(placed.Id(), "paid");
        var fulfilled = await shop.MerchantClient.SetStatusAsync(placed.Id(), "fulfilled");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(800, pending.GetProperty("paidFen").GetInt64());
        Assert.Equal(1_800, paid.GetProperty("paidFen").GetInt64());
        Assert.Equal("fulfilled", (await fulfilled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Paying_beyond_the_outstanding_amount_is_409()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.MerchantClient.PayAsync(placed.Id(), "marked", 1_000);

        var response = await shop.MerchantClient.PayAsync(placed.Id(), "marked", 801);

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("fulfilled")]
    [InlineData("refunded")]
    [InlineData("paid")]
    [InlineData("pending-payment")]
    public async Task A_transition_the_state_forbids_is_409(string target)
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();

        var response = await shop.MerchantClient.SetStatusAsync(placed.Id(), target);

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_cancelled_order_takes_no_payment_and_cannot_be_fulfilled()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync();
        await shop.MerchantClient.SetStatusAsync(placed.Id(), "cancelled");

        await (await shop.MerchantClient.PayAsync(placed.Id(), "marked", 100)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await shop.MerchantClient.SetStatusAsync(placed.Id(), "fulfilled")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_order_takes_at_most_50_payments_and_50_refunds_then_409()
    {
        var shop = await platform.OpenShopAsync();
        var paidInPennies = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var refundedInPennies = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(refundedInPennies.Id(), "marked", CommerceApiClient.TeaPrice);
        for (var i = 0; i < 50; i++)
        {
            await shop.MerchantClient.PaidAsync(paidInPennies.Id(), "marked", 1);
        }

        for (var i = 0; i < 50; i++)
        {
            await shop.MerchantClient.RefundedAsync(refundedInPennies.Id(), new { amountFen = 1 });
        }

        var onePaymentMore = await shop.MerchantClient.PayAsync(paidInPennies.Id(), "marked", 1);
        var oneRefundMore = await shop.MerchantClient.RefundAsync(refundedInPennies.Id(), new { amountFen = 1 });
        var refundedWhole = await shop.MerchantClient.SetStatusAsync(refundedInPennies.Id(), "refunded");

        Assert.EndsWith("/too-many-payments", (await onePaymentMore.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/too-many-refunds", (await oneRefundMore.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        // The bound never keeps a manager from giving back the rest of the order as a whole.
        Assert.Equal(HttpStatusCode.OK, refundedWhole.StatusCode);
        var refunded = await shop.MerchantClient.OrderAsync(refundedInPennies.Id());
        Assert.Equal(CommerceApiClient.TeaPrice, refunded.GetProperty("refunds").EnumerateArray().Sum(r => r.GetProperty("amountFen").GetInt64()));
    }

    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_makes_one_order()
    {
        var shop = await platform.OpenShopAsync();
        var body = new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } };
        var key = Guid.NewGuid().ToString();

        var first = await PlaceWithKeyAsync(shop, body, key);
        var second = await PlaceWithKeyAsync(shop, body, key);

        Assert.Equal(first, second);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM order_index WHERE merchant_id = $1", shop.Merchant.MerchantId));
    }

    [Fact]
    public async Task P1_11_each_line_is_one_analytics_fact_however_often_the_create_is_retried()
    {
        var shop = await platform.OpenShopAsync();
        var body = new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 2 }, new { sku = "CAKE-1", quantity = 1 } } };
        var key = Guid.NewGuid().ToString();

        var orderId = await PlaceWithKeyAsync(shop, body, key);
        await PlaceWithKeyAsync(shop, body, key);

        Assert.Equal(
            $"0 TEA-1 2 {2 * CommerceApiClient.TeaPrice}, 1 CAKE-1 1 {CommerceApiClient.CakePrice}",
            await platform.Database.ScalarAsync<string>(
                "SELECT string_agg(concat_ws(' ', line_no, sku, quantity, amount_fen), ', ' ORDER BY line_no) FROM order_line_facts WHERE order_id = $1",
                orderId));
    }

    public static TheoryData<string> MalformedOrders => new()
    {
        "{\"userId\":\"USER\",\"items\":[{\"sku\":\"NOPE\",\"quantity\":1}]}",
        "{\"userId\":\"USER\",\"items\":[{\"sku\":\"TEA-1\",\"quantity\":0}]}",
        "{\"userId\":\"USER\",\"items\":[{\"sku\":\"TEA-1\",\"quantity\":-2}]}",
        "{\"userId\":\"USER\",\"items\":[{\"sku\":\"TEA-1\",\"quantity\":\"two\"}]}",
        "{\"userId\":\"USER\",\"items\":[]}",
        "{\"userId\":\"USER\"}",
        "{\"userId\":\"usr_aaaaaaaaaaaaaaaaaaaaaaaaaa\",\"items\":[{\"sku\":\"TEA-1\",\"quantity\":1}]}",
        "{\"userId\":42,\"items\":[{\"sku\":\"TEA-1\",\"quantity\":1}]}",
        "{\"userId\":\"USER\",\"items\":[{\"sku\":\"TEA-1\",\"quantity\":1}],\"delivery\":{\"recipientName\":\"x\",\"gender\":\"robot\",\"phone\":\"13800138000\",\"address\":\"a\",\"doorNumber\":\"1\"}}",
        "{\"userId\":\"USER\",\"items\":[{\"sku\":\"TEA-1\",\"quantity\":1}],\"delivery\":{\"recipientName\":\"x\",\"gender\":\"male\",\"phone\":\"12345\",\"address\":\"a\",\"doorNumber\":\"1\"}}",
    };

    [Theory]
    [MemberData(nameof(MalformedOrders))]
    public async Task A_malformed_order_is_400_and_leaves_no_half_made_order(string body)
    {
        var shop = await platform.OpenShopAsync();
        var before = await platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_storage WHERE grain_type LIKE '%order%'");

        var response = await shop.MerchantClient.PostAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/orders", Json.Raw(body.Replace("USER", shop.Customer.UserId, StringComparison.Ordinal)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(), $"no field named: {problem}");
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM order_index WHERE merchant_id = $1", shop.Merchant.MerchantId));
        Assert.Equal(before, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_storage WHERE grain_type LIKE '%order%'"));
    }

    [Fact]
    public async Task P1_9_refusing_optional_consents_never_blocks_ordering_or_payment()
    {
        var shop = await platform.OpenShopAsync();
        var version = await platform.CurrentPolicyVersionAsync();
        foreach (var purpose in new[] { "location", "album", "calendar", "personalization", "notifications", "marketing-sharing", "third-party-sources" })
        {
            await shop.CustomerClient.SetConsentAsync(shop.Customer.UserId, purpose, false, version);
        }

        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var paid = await shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice);

        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
    }

    [Fact]
    public async Task P4_4_a_merchant_places_at_most_so_many_orders_a_day_for_one_user_then_429_too_many_orders()
    {
        var shop = await platform.OpenShopAsync();
        var allowed = new MeiLing.Grains.Privacy.PrivacySettings().MerchantOrdersPerUserPerDay;
        await Parallel.ForEachAsync(Enumerable.Range(0, allowed), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) => await shop.PlaceOrderAsync(teas: 1, cakes: 0));
        // The counts outlast the user's activation: collected after 15 idle minutes, it came back with none, and the
        // merchant placed its day's allowance again every 16 minutes.
        await platform.Grains.GetGrain<IUserGrain>(shop.Customer.UserId).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var refused = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        var otherShop = await platform.OpenShopAsync();
        var atAnotherMerchant = await otherShop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{otherShop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        var walkIn = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { items = new[] { new { sku = "TEA-1", quantity = 1 } } });

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/too-many-orders", problem.TypeOf(), StringComparison.Ordinal);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.Created, atAnotherMerchant.StatusCode);
        Assert.Equal(HttpStatusCode.Created, walkIn.StatusCode);
        // The refused order left nothing behind: the merchant's orders are the allowed ones and the walk-in sale.
        Assert.Equal(allowed + 1, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE merchant_id = $1", shop.Merchant.MerchantId));
    }

    // Issue 15: a merchant's day of sales asked its one activation at every sale, queuing every till on its turn and
    // writes. Silos now take it in blocks: together they hand out the day whole and not one sale more, and what they took
    // is written at once, so a deactivation loses none of it.
    [Fact]
    public async Task P4_4_silos_taking_a_merchants_day_of_sales_in_blocks_hand_out_the_day_and_no_more()
    {
        var merchantId = EntityId.New(EntityId.MerchantPrefix);
        // Two silos' leases, each taking blocks of 5 (a day of 5,000 as they see it) from a day the cluster sets at 1,100.
        var asSeenBySilos = Options.Create(new StaffSettings { UserOrdersPerMerchantPerDay = 5_000 });
        AllowanceLeases[] silos = [new(platform.Grains, asSeenBySilos, platform.Clock), new(platform.Grains, asSeenBySilos, platform.Clock)];
        Assert.Equal(5, AllowanceLeases.BlockOf(5_000));

        var handedOut = 0;
        var spent = new bool[silos.Length];
        for (var turn = 0; !spent.All(silo => silo); turn++)
        {
            var silo = turn % silos.Length;
            if (spent[silo])
            {
                continue;
            }

            try
            {
                await silos[silo].TakeSaleAsync(DailyAllowanceKind.UserOrdersByMerchant, merchantId);
                handedOut++;
            }
            catch (DomainException refused) when (refused.Code == "quota-exceeded")
            {
                spent[silo] = true;
            }
        }

        Assert.Equal(TestSiloConfigurator.UserOrdersPerMerchantPerDay, handedOut);
        var merchantsDay = platform.Grains.GetGrain<IDailyAllowanceGrain>(
            IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.UserOrdersByMerchant, merchantId));
        await merchantsDay.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var afterDeactivation = await Assert.ThrowsAsync<DomainException>(() => merchantsDay.Take());
        Assert.Equal("quota-exceeded", afterDeactivation.Code);
    }

    // Each user's day at a merchant bounded one customer only: a merchant's key walking every customer id its order list
    // showed placed 500 orders a day for each, all kept for good and each in its customer's export.
    [Fact]
    public async Task P4_4_one_merchants_keys_together_place_a_days_allowance_of_orders_for_users_and_no_more()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var merchantsDay = platform.Grains.GetGrain<IDailyAllowanceGrain>(
            IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.UserOrdersByMerchant, shop.Merchant.MerchantId));
        for (var taken = 2; taken < TestSiloConfigurator.UserOrdersPerMerchantPerDay; taken++)
        {
            await merchantsDay.Take();
        }

        // The count outlasts its activation (written every hundred orders and as it leaves).
        await merchantsDay.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        // An order naming nobody real spends none of the day (*reviewer*: a key naming made-up users spent it all).
        var madeUp = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = EntityId.New(EntityId.UserPrefix), items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        Assert.EndsWith("/unknown-user", (await madeUp.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var refused = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        var walkIn = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { items = new[] { new { sku = "TEA-1", quantity = 1 } } });
        var otherShop = await platform.OpenShopAsync();
        var atAnotherMerchant = await otherShop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{otherShop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "TEA-1", quantity = 1 } } });

        // The customer's own day at the merchant has 498 left: the merchant's day refused it.
        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/quota-exceeded", problem.TypeOf(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Created, walkIn.StatusCode);
        Assert.Equal(HttpStatusCode.Created, atAnotherMerchant.StatusCode);
        Assert.Equal(3L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE merchant_id = $1", shop.Merchant.MerchantId));
    }

    private static async Task<string> PlaceWithKeyAsync(Shop shop, object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/merchants/{shop.Merchant.MerchantId}/orders") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await shop.MerchantClient.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }
}
