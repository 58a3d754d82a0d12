using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Retail;

[Collection(PlatformCollection.Name)]
public sealed class SettlementTests(PlatformFixture platform)
{
    // P4.1: the account goes, the money on its card does not: it is recorded as owed back, without naming the user,
    // shown in the erasure receipt, and the merchant's takings report still counts the anonymized order.
    [Fact]
    public async Task P4_1_a_card_balance_left_at_cancellation_is_settled_in_the_receipt_and_the_merchants_accounts()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var order = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);
        var today = RetailApiClient.ShanghaiToday();
        var before = await (await shop.MerchantClient.DailyReportAsync(shop.Merchant.MerchantId, today)).Content.ReadFromJsonAsync<JsonElement>();

        var done = await platform.CancelCustomerAsync(shop, "Agent Settle");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(5_000 - CommerceApiClient.TeaPrice, done.GetProperty("receipt").GetProperty("memberCardsSettledFen").GetInt64());
        var settlements = await shop.MerchantClient.GetAsync($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements");
        var body = await settlements.Content.ReadAsStringAsync();
        var settlement = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(5_000 - CommerceApiClient.TeaPrice, settlement.GetProperty("amountFen").GetInt64());
        Assert.Equal("account-cancelled", settlement.GetProperty("cause").GetString());
        Assert.Equal("merchant-pays-customer", settlement.GetProperty("payBack").GetString());
        Assert.DoesNotContain(shop.Customer.UserId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(shop.Customer.Phone, body, StringComparison.Ordinal);
        var after = await (await shop.MerchantClient.DailyReportAsync(shop.Merchant.MerchantId, today)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(before.GetProperty("grossFen").GetInt64(), after.GetProperty("grossFen").GetInt64());
        Assert.Equal(before.GetProperty("orders").GetInt32(), after.GetProperty("orders").GetInt32());
    }

    // P4.1: an order still awaiting the rest of its payment can never be paid once its customer has gone. What they paid
    // toward it by card goes back onto the card before the card is settled, so the settlement owes them all of it, and
    // the order ends cancelled instead of holding the part payment for good.
    [Fact]
    public async Task P4_1_a_card_part_payment_of_an_unfinished_order_is_given_back_into_the_settlement_at_cancellation()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var order = await shop.PlaceOrderAsync(teas: 2, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);

        await CancelledAndSettledInFullAsync(shop, order, "Agent Part");
    }

    // P4.1, P1.6 (*reviewer*): a paid order still to be delivered kept its status as its customer left, while the
    // anonymization erased its address: nobody could deliver it, the card's settlement covered only the balance left, and
    // the merchant's cancellation after was 409 order-anonymized. It is cancelled and its card payment goes back onto the
    // card before the card is settled, as when the merchant leaves.
    [Fact]
    public async Task P4_1_P1_6_a_paid_delivery_still_on_its_way_is_cancelled_into_the_settlement_at_cancellation()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);

        var left = await CancelledAndSettledInFullAsync(shop, order, "Agent Undelivered");
        Assert.True(left.GetProperty("anonymized").GetBoolean());
        var refund = Assert.Single(left.GetProperty("refunds").EnumerateArray());
        Assert.Equal(CommerceApiClient.TeaPrice, refund.GetProperty("amountFen").GetInt64());
    }

    // P4.1, P1.6: only a delivery still to be made goes back as the customer leaves: one fulfilled (handed to the delivery
    // partner) before is theirs, paid, and the card is settled without its price.
    [Fact]
    public async Task P4_1_a_delivery_fulfilled_before_the_cancellation_is_not_given_back()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var order = await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);
        var fulfilled = await shop.MerchantClient.SetStatusAsync(order.Id(), "fulfilled");
        Assert.True(fulfilled.IsSuccessStatusCode, await fulfilled.Content.ReadAsStringAsync());

        var done = await platform.CancelCustomerAsync(shop, "Agent Delivered");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(5_000 - CommerceApiClient.TeaPrice, done.GetProperty("receipt").GetProperty("memberCardsSettledFen").GetInt64());
        var left = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}");
        Assert.Equal("fulfilled", left.GetProperty("status").GetString());
        Assert.True(left.GetProperty("anonymized").GetBoolean());
        Assert.Equal(0, left.GetProperty("refunds").GetArrayLength());
    }

    // P4.1, P1.6: a cancellation of an order paid by card and WeChat Pay, made as its customer's account was closing, gave
    // the partner's part back first (the newest payment); the account's gate refused that disclosure (403), so the card's
    // part was never tried, and once the order was anonymized every try of it was 409 order-anonymized: the card was
    // settled without the money drawn back onto it. Here the card's part goes back first, and the anonymization finishes
    // what is left before the order forgets whose card it is; the settlement owes the customer all of the top-up.
    [Fact]
    public async Task P4_1_P1_6_the_card_part_of_a_refund_stopped_by_the_closing_account_is_in_the_settlement()
    {
        var (shop, order) = await PaidHalfByCardHalfByPartnerAsync();
        var userId = shop.Customer.UserId;
        var inventory = await platform.Grains.GetGrain<IUserDataRights>(userId).CloseAccount();

        var cancelled = await shop.MerchantClient.SetStatusAsync(order.Id(), "cancelled");
        // The rest of the cancellation, in its plan's order: the orders are anonymized before the cards are settled.
        var erasure = platform.EverySilo.First().GetRequiredService<ErasureSteps>();
        foreach (var step in RequestPlans.CancellationErasure)
        {
            await erasure.RunAsync(step.Target, userId, inventory);
        }

        await cancelled.AssertProblemAsync(HttpStatusCode.Forbidden);
        var settlement = (await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements"))
            .GetProperty("items").EnumerateArray().Single();
        Assert.Equal(5_000, settlement.GetProperty("amountFen").GetInt64());
        var left = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}");
        Assert.Equal("cancelled", left.GetProperty("status").GetString());
        Assert.True(left.GetProperty("anonymized").GetBoolean());
        var refund = Assert.Single(left.GetProperty("refunds").EnumerateArray());
        Assert.Equal(2 * CommerceApiClient.TeaPrice, refund.GetProperty("amountFen").GetInt64());
    }

    // The customer cancels: the request completes, its receipt and the merchant's one settlement owe back all of the 5,000
    // fen top-up, and the order is left cancelled (returned as the merchant reads it).
    private async Task<JsonElement> CancelledAndSettledInFullAsync(Shop shop, JsonElement order, string agent)
    {
        var done = await platform.CancelCustomerAsync(shop, agent);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(5_000, done.GetProperty("receipt").GetProperty("memberCardsSettledFen").GetInt64());
        var settlement = (await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements"))
            .GetProperty("items").EnumerateArray().Single();
        Assert.Equal(5_000, settlement.GetProperty("amountFen").GetInt64());
        var left = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{order.Id()}");
        Assert.Equal("cancelled", left.GetProperty("status").GetString());
        return left;
    }

    // Two teas: one paid from a 5,000 fen member card, one through WeChat Pay.
    private async Task<(Shop Shop, JsonElement Order)> PaidHalfByCardHalfByPartnerAsync()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var order = await shop.PlaceOrderAsync(teas: 2, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);
        var charged = await shop.CustomerClient.PayAsync(order.Id(), "wechat", CommerceApiClient.TeaPrice);
        Assert.True(charged.IsSuccessStatusCode, await charged.Content.ReadAsStringAsync());
        await shop.MerchantClient.WaitForOrderStatusAsync(order.Id(), "paid");
        return (shop, order);
    }

    // P1.6 (*reviewer*): a refund's member-card part is stored as given back before a partner is asked for its part. Left
    // in memory only, the partner's refusal (the partner down, or here the closing account's gate) left it undone in the
    // stored order: every retry, for days, asked the card to credit it again, and the card remembers only its latest
    // operations, so it would credit twice once it had forgotten this one.
    [Fact]
    public async Task P1_6_a_refunds_card_part_is_stored_as_given_back_before_a_partner_refuses_its_own()
    {
        var (shop, order) = await PaidHalfByCardHalfByPartnerAsync();
        await platform.Grains.GetGrain<IUserDataRights>(shop.Customer.UserId).CloseAccount();

        var cancelled = await shop.MerchantClient.SetStatusAsync(order.Id(), "cancelled");
        var stored = await platform.ReadAsync<OrderState>("order", "order", order.Id());
        var card = platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId));

        await cancelled.AssertProblemAsync(HttpStatusCode.Forbidden);
        var parts = Assert.Single(stored.Refunds).Parts;
        Assert.True(parts.Single(part => part.Method == PaymentMethod.MemberCard).Done);
        Assert.False(parts.Single(part => part.Method == PaymentMethod.Wechat).Done);
        Assert.Equal(5_000, await card.GetBalance());
    }

    // P4.1, P1.6 (*reviewer*): a member-card payment still begun as its customer leaves (the card did not answer: it may
    // have drawn the money) refuses the anonymization with 503 payment-pending, to be tried again. Anonymized as it was, the
    // order dropped the begun payment (it could neither finish it nor give it back once it had forgotten whose card it
    // was), and the card, settled next, lacked the amount it had drawn.
    [Fact]
    public async Task P4_1_P1_6_an_order_with_a_card_payment_still_begun_is_anonymized_only_once_the_card_has_answered()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var order = platform.Grains.GetGrain<IOrderGrain>(placed.Id());
        var cardKey = IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId);
        await order.EndActivationAsync();
        // What a silo that died as it drew on the card leaves behind.
        await platform.ChangeStoredStateAsync<OrderState>(order, "order", stored => stored.PendingPayments.Add(new OrderState.PaymentRecord
        {
            PaymentId = EntityId.New(EntityId.PaymentPrefix),
            Method = PaymentMethod.MemberCard,
            AmountFen = CommerceApiClient.TeaPrice,
            At = DateTimeOffset.UtcNow,
        }));

        var whileCardDown = await platform.Database.WhileStateWritesRefusedAsync(cardKey,
            () => Assert.ThrowsAsync<DomainException>(() => order.Anonymize()));
        var anonymized = await order.Anonymize();

        Assert.Equal("payment-pending", whileCardDown.Code);
        Assert.True(anonymized);
        // Drawn once, when the card answered, and so in what its settlement counts.
        Assert.Equal(5_000 - CommerceApiClient.TeaPrice, await platform.Grains.GetGrain<IMemberCardGrain>(cardKey).GetBalance());
        var stored = await platform.ReadAsync<OrderState>("order", "order", placed.Id());
        Assert.Empty(stored.PendingPayments);
        Assert.Equal(CommerceApiClient.TeaPrice, Assert.Single(stored.Payments).AmountFen);
    }

    // P3.2, P4.1: a card settled once (its user objected to a transfer) and topped up again at the same merchant is a new
    // life of the card. Its settlement was named by the card alone, taken for a retry of the first and dropped, with its
    // event: the second balance reached neither the merchant's settlements nor its webhook, and the card was erased.
    [Fact]
    public async Task P3_2_P4_1_a_card_opened_again_after_a_settlement_is_settled_again_under_its_own_name()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var card = platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId));
        Assert.Equal(5_000, await card.SettleAndErase());
        await shop.TopUpAsync(3_000);

        var done = await platform.CancelCustomerAsync(shop, "Agent Twice");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var settled = (await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements"))
            .GetProperty("items").EnumerateArray().Select(item => item.GetProperty("amountFen").GetInt64()).Order();
        Assert.Equal([3_000L, 5_000L], settled);
        Assert.Equal(0, await card.GetBalance());
    }

    // P4.1: a refund onto a card with no record (settled meanwhile, or a successor's card during a transfer) opened one
    // that was never indexed: neither the user's erasure nor the merchant's termination found it, and it outlived both.
    [Fact]
    public async Task P4_1_a_card_a_refund_opened_is_settled_at_cancellation()
    {
        var shop = await platform.OpenShopAsync();
        var card = platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(shop.Merchant.MerchantId, shop.Customer.UserId));
        await card.Credit("refund:rfd_test:pay_test", 1_200);

        var done = await platform.CancelCustomerAsync(shop, "Agent Credit");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var settlement = (await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements"))
            .GetProperty("items").EnumerateArray().Single();
        Assert.Equal(1_200, settlement.GetProperty("amountFen").GetInt64());
        Assert.Equal(0, await card.GetBalance());
    }

    [Fact]
    public async Task A_card_with_nothing_left_settles_nothing()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(CommerceApiClient.TeaPrice);
        var order = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        await shop.MerchantClient.PaidAsync(order.Id(), "member-card", CommerceApiClient.TeaPrice);

        var done = await platform.CancelCustomerAsync(shop, "Agent Zero");

        Assert.Equal(0, done.GetProperty("receipt").GetProperty("memberCardsSettledFen").GetInt64());
        var settlements = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/member-card-settlements");
        Assert.Empty(settlements.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Settlements_are_the_merchants_managers_not_a_cashiers_or_another_merchants()
    {
        var till = await platform.OpenTillAsync();
        var rival = await platform.OpenTillAsync("Rival");

        Assert.Equal(HttpStatusCode.OK, (await till.Manager.GetAsync($"/v1/merchants/{till.MerchantId}/member-card-settlements")).StatusCode);
        await (await till.Cashier.GetAsync($"/v1/merchants/{till.MerchantId}/member-card-settlements")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await rival.Owner.GetAsync($"/v1/merchants/{till.MerchantId}/member-card-settlements")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // P4.1: what a merchant owes back is readable in full, however many customers cancelled: more than one page is
    // read exactly once across pages, newest first. Four settlements share one instant across page boundaries, so
    // the order within a tie (by id) is what keeps a page from repeating or skipping one.
    [Fact]
    public async Task P4_1_a_merchants_settlements_page_newest_first_each_read_exactly_once()
    {
        var till = await platform.OpenTillAsync();
        var rival = await platform.OpenTillAsync("Rival");
        var ledger = platform.EverySilo.First().GetRequiredService<MemberCardSettlements>();
        for (var i = 0; i < 7; i++)
        {
            await ledger.RecordAsync(till.MerchantId, EntityId.New(EntityId.UserPrefix), 100 + i, MemberCardSettlements.AccountCancelled, life: null);
        }

        await ledger.RecordAsync(rival.MerchantId, EntityId.New(EntityId.UserPrefix), 999, MemberCardSettlements.AccountCancelled, life: null);
        await platform.Database.ScalarAsync<int>("""
            UPDATE member_card_settlements SET settled_at = (SELECT min(settled_at) FROM member_card_settlements WHERE merchant_id = $1)
             WHERE settlement_id IN (SELECT settlement_id FROM member_card_settlements WHERE merchant_id = $1 ORDER BY settled_at DESC LIMIT 3)
            """, till.MerchantId);
        var recorded = new List<(DateTimeOffset SettledAt, string SettlementId)>();
        await using (var query = platform.Database.DataSource.CreateCommand("SELECT settled_at, settlement_id FROM member_card_settlements WHERE merchant_id = $1"))
        {
            query.Parameters.Add(new() { Value = till.MerchantId });
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                recorded.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)));
            }
        }

        var newestFirst = recorded.OrderByDescending(row => row.SettledAt).ThenByDescending(row => row.SettlementId, StringComparer.Ordinal)
            .Select(row => row.SettlementId).ToList();

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await till.Manager.GetFromJsonAsync<JsonElement>(
                $"/v1/merchants/{till.MerchantId}/member-card-settlements?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(settlement => settlement.GetProperty("settlementId").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(7, newestFirst.Count);
        Assert.Equal(4, recorded.GroupBy(row => row.SettledAt).Max(tie => tie.Count()));
        Assert.Equal(newestFirst, seen);
        Assert.Equal(4, pages);
    }

    // "MXwA" is "1|" and a NUL; the last is a well-formed cursor of another list (orders), not of this one.
    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("MXwA")]
    [InlineData("MXxzdGxfeA==")]
    [InlineData("order")]
    public async Task A_settlements_cursor_the_api_did_not_give_is_400_naming_the_cursor(string cursor)
    {
        var till = await platform.OpenTillAsync();
        if (cursor == "order")
        {
            cursor = OrderCursor.Encode(DateTimeOffset.UtcNow, EntityId.New(EntityId.OrderPrefix));
        }

        var response = await till.Manager.GetAsync($"/v1/merchants/{till.MerchantId}/member-card-settlements?cursor={cursor}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("/validation", problem.TypeOf(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), problem.ToString());
    }
}
