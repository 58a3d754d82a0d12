using System.Text.Json;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;

namespace MeiLing.Tests.Commerce;

[Collection(PlatformCollection.Name)]
public sealed class MemberCardTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_6_a_member_card_payment_draws_on_the_users_balance_at_that_merchant()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(10_000);
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        var paid = await shop.CustomerClient.PayAsync(placed.Id(), "member-card", CommerceApiClient.TeaPrice);

        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.Equal(10_000 - CommerceApiClient.TeaPrice, await shop.BalanceAsync());
    }

    [Fact]
    public async Task A_short_balance_is_409_and_nothing_changes()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(1_000);
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        var response = await shop.CustomerClient.PayAsync(placed.Id(), "member-card", CommerceApiClient.TeaPrice);

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1_000, await shop.BalanceAsync());
        var order = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{placed.Id()}");
        Assert.Equal(0, order.GetProperty("paidFen").GetInt64());
        Assert.Equal("pending-payment", order.GetProperty("status").GetString());
    }

    // A card moves at most 100,000,000 fen at a time. A member-card payment above that was begun (written as pending), then
    // refused by the card with a 400: the refusal left it begun, so the order could never be cancelled (a begun payment
    // blocks it), the amount stayed held so the rest could not be paid, and the stock it took never came back.
    [Fact]
    public async Task A_member_card_payment_above_what_a_card_moves_at_once_is_400_and_leaves_the_order_cancellable()
    {
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.AddProductAsync(shop.Merchant.MerchantId, "RING-1", "Jade ring", MemberCardGrain.MaxOperationFen);
        var placed = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders", new
        {
            userId = shop.Customer.UserId,
            items = new[] { new { sku = "RING-1", quantity = 2 } },
        });
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).Id();

        var tooLarge = await shop.CustomerClient.PayAsync(orderId, "member-card", MemberCardGrain.MaxOperationFen + 1);

        await tooLarge.AssertProblemAsync(HttpStatusCode.BadRequest);
        var order = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}");
        Assert.Empty(order.GetProperty("payments").EnumerateArray());
        Assert.Equal(HttpStatusCode.Created, (await shop.MerchantClient.PayAsync(orderId, "marked", 2 * MemberCardGrain.MaxOperationFen)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shop.MerchantClient.SetStatusAsync(orderId, "cancelled")).StatusCode);
    }

    // Every member-card payment is a notice to the member, and an inbox keeps the newest 200. A merchant being transferred
    // (P3.2) paid 1-fen member-card charges from its customers' cards with its own key (no code needed), 250 of them for
    // 250 fen it could refund at once, and the notice of the transfer, the one the member must read to object in time,
    // was pushed out of the inbox for good.
    [Fact]
    public async Task P3_2_P1_6_a_merchants_member_card_charges_cannot_push_its_transfer_notice_out_of_the_members_inbox()
    {
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.AddProductAsync(shop.Merchant.MerchantId, "PENNY", "Penny sweet", 1);
        await shop.TopUpAsync(250);
        var successor = await platform.CreateMerchantAsync("Buyer Tea Group");
        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/transfers",
            new { successorMerchantId = successor.MerchantId, effectiveAt = platform.Clock.GetUtcNow().AddDays(31) });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);

        for (var order = 0; order < 5; order++)
        {
            var placed = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
                new { userId = shop.Customer.UserId, items = new[] { new { sku = "PENNY", quantity = 50 } } });
            var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).Id();
            for (var payment = 0; payment < 50; payment++)
            {
                Assert.Equal(HttpStatusCode.Created, (await shop.MerchantClient.PayAsync(orderId, "member-card", 1)).StatusCode);
            }
        }

        var notices = (await shop.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{shop.Customer.UserId}/notifications?limit=200"))
            .GetProperty("items").EnumerateArray().Select(notice => notice.GetProperty("kind").GetString()).ToList();
        Assert.Equal(0, await shop.BalanceAsync());
        Assert.Contains("merchant-transfer", notices);
        // The member still hears of the merchant's newest charges; older ones are in the orders.
        Assert.Equal(UserInboxState.KeptPerMerchantKind, notices.Count(kind => kind == "member-card-charged"));
    }

    [Fact]
    public async Task A_top_up_key_sent_again_with_another_amount_is_409_and_changes_nothing()
    {
        var shop = await platform.OpenShopAsync();
        var route = $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups";
        var key = Guid.NewGuid().ToString();
        await shop.MerchantClient.SendAsync(TopUp(route, key, 1_000));

        var reused = await shop.MerchantClient.SendAsync(TopUp(route, key, 9_000));

        await reused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1_000, await shop.BalanceAsync());
    }

    private static HttpRequestMessage TopUp(string route, string idempotencyKey, long amountFen) =>
        new(HttpMethod.Post, route) { Content = JsonContent.Create(new { amountFen }), Headers = { { "Idempotency-Key", idempotencyKey } } };

    [Fact]
    public async Task A_refund_gives_member_card_money_back()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.CustomerClient.PayAsync(placed.Id(), "member-card", CommerceApiClient.TeaPrice);

        var refunded = await shop.MerchantClient.SetStatusAsync(placed.Id(), "refunded");

        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        Assert.Equal(5_000, await shop.BalanceAsync());
    }

    [Fact]
    public async Task A_hundred_concurrent_debits_and_top_ups_end_at_the_exact_balance()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(100_000);
        var card = platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId));

        var debits = Enumerable.Range(0, 100).Select(i => card.Debit($"debit-{i}", 700));
        var topUps = Enumerable.Range(0, 100).Select(i => shop.TopUpAsync(300));
        await Task.WhenAll(debits.Concat<Task>(topUps));

        Assert.Equal(100_000 - (100 * 700) + (100 * 300), await shop.BalanceAsync());
    }

    [Fact]
    public async Task A_retried_debit_is_applied_once()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(1_000);
        var card = platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId));

        await card.Debit("same-operation", 400);
        await card.Debit("same-operation", 400);

        Assert.Equal(600, await shop.BalanceAsync());
    }

    [Fact]
    public async Task The_member_card_of_a_user_who_does_not_exist_is_404()
    {
        var shop = await platform.OpenShopAsync();

        var response = await shop.MerchantClient.GetAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{EntityId.New(EntityId.UserPrefix)}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Top_ups_must_be_positive()
    {
        var shop = await platform.OpenShopAsync();

        var response = await shop.MerchantClient.PostAsJsonAsync(
            $"/v1/merchants/{shop.Merchant.MerchantId}/member-cards/{shop.Customer.UserId}/top-ups", new { amountFen = -5 });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await shop.BalanceAsync());
    }
}
