using System.Text;
using System.Text.Json;
using MeiLing.Grains.Orders;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Retail;

namespace MeiLing.Tests.Commerce;

/// <summary>
/// P1.6, P4.1, P4.3: a WeChat Pay charge still awaiting its partner when the order loses its customer (the account
/// cancelled, the merchant closing, a transfer objected to) may still go through. The partner's confirmation is then
/// taken (200, so the partner stops retrying) and the money given back through the partner, once, and never more than
/// was confirmed; the order shows the refund to its merchant (support finds no order without a user), and ends cancelled. Whoever is not the partner still confirms nothing.
/// </summary>
[Collection(PartnerOutageCollection.Name)]
public sealed class LatePartnerConfirmationTests(PartnerOutageFixture platform)
{
    private const string ConfirmationPath = "/v1/payment-partners/wechat-pay/confirmations";

    private static string Secret(string partner) => TestSiloConfigurator.PartnerSecretsByName[partner];

    [Fact]
    public async Task P4_1_P1_6_a_wechat_payment_confirmed_after_the_account_is_cancelled_is_taken_and_refunded_once()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        await CancelAccountAsync(shop);

        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var seenByMerchant = await shop.MerchantClient.OrderAsync(orderId);
        // Anonymized, the order is the merchant's business alone: support finds none (P1.7).
        var seenBySupport = await (await SupportAsync("Agent Late Refund")).GetAsync($"/v1/orders/{orderId}");
        var cashAfterwards = await shop.MerchantClient.PayAsync(orderId, "marked", CommerceApiClient.TeaPrice);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        AssertRefundedOnce(payment, seenByMerchant);
        Assert.True(seenByMerchant.GetProperty("anonymized").GetBoolean());
        // The money went back: the order was never paid, and awaits nothing now.
        Assert.Equal("cancelled", seenByMerchant.GetProperty("status").GetString());
        Assert.Equal(payment.GetProperty("partnerReference").GetString(), seenByMerchant.GetProperty("payments")[0].GetProperty("partnerReference").GetString());
        await seenBySupport.AssertProblemAsync(HttpStatusCode.NotFound);
        await cashAfterwards.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    // Refunded, the order still awaited payment, for good: the merchant's list and its reports showed money owed that
    // could never come, and the stock it took stayed taken.
    [Fact]
    public async Task P4_1_P1_6_an_order_whose_late_charge_went_back_after_its_customer_left_ends_cancelled_in_the_merchants_list_with_its_stock_back()
    {
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.AddStockedProductAsync(shop.Merchant.MerchantId, "JAR-1", CommerceApiClient.TeaPrice, stock: 5);
        var placed = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/orders",
            new { userId = shop.Customer.UserId, items = new[] { new { sku = "JAR-1", quantity = 1 } } });
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var paid = await shop.CustomerClient.PayAsync(orderId, "wechat", CommerceApiClient.TeaPrice);
        var payment = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments")[0];
        await CancelAccountAsync(shop);
        var body = Confirmation(orderId, payment);

        var confirmed = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        var replayed = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);
        var listed = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/orders");
        var products = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/merchants/{shop.Merchant.MerchantId}/products");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        AssertRefundedOnce(payment, seen);
        Assert.Equal("cancelled", seen.GetProperty("status").GetString());
        Assert.Equal("cancelled", listed.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("orderId").GetString() == orderId).GetProperty("status").GetString());
        Assert.Equal(5, ItemsOf(products).Single(p => p.GetProperty("sku").GetString() == "JAR-1").GetProperty("stock").GetInt32());
        // Cancelled for good: no payment, and no cancellation or refund by the merchant, moves it again.
        await (await shop.MerchantClient.PayAsync(orderId, "marked", CommerceApiClient.TeaPrice)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await shop.MerchantClient.SetStatusAsync(orderId, "refunded")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    private static IEnumerable<JsonElement> ItemsOf(JsonElement page) =>
        page.ValueKind == JsonValueKind.Array ? page.EnumerateArray() : page.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task P4_1_P1_6_a_late_confirmation_replayed_by_the_partner_is_taken_each_time_and_refunded_once()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        await CancelAccountAsync(shop);
        var body = Confirmation(orderId, payment);

        // The partner retries as partners do: each delivery signed anew, two of them at once.
        var first = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        var together = await Task.WhenAll(
            platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay")),
            platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay")));
        await platform.Grains.GetGrain<IOrderGrain>(orderId).EndActivationAsync();
        var afterRestart = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);

        Assert.All([first, .. together, afterRestart], response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        AssertRefundedOnce(payment, seen);
    }

    [Fact]
    public async Task P4_1_P1_6_a_late_confirmation_unsigned_forged_or_for_another_amount_or_reference_refunds_nothing()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        await CancelAccountAsync(shop);
        var body = Confirmation(orderId, payment);

        var unsigned = await platform.Client().PostAsync(ConfirmationPath, new StringContent(body, Encoding.UTF8, "application/json"));
        var byAnotherPartner = await platform.PostSignedAsync(ConfirmationPath, body, Secret("alipay"));
        var tooOld = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"), at: DateTimeOffset.UtcNow.AddMinutes(-10));
        var inflated = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment, amountFen: 10 * CommerceApiClient.TeaPrice), Secret("wechat-pay"));
        var otherReference = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment, reference: "silent-wechat-pay-charge-forged"), Secret("wechat-pay"));
        var untouched = await shop.MerchantClient.OrderAsync(orderId);
        var refundsBefore = PartnerOutageSiloConfigurator.RefundsOf(payment.GetProperty("paymentId").GetString()!);
        var byThePartner = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));

        await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await byAnotherPartner.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await tooOld.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await inflated.AssertProblemAsync(HttpStatusCode.Conflict);
        await otherReference.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Empty(refundsBefore);
        Assert.Equal(0, untouched.GetProperty("refunds").GetArrayLength());
        Assert.Equal("pending", untouched.GetProperty("payments")[0].GetProperty("status").GetString());
        // The same words, signed now by the partner itself, are taken and given back.
        Assert.Equal(HttpStatusCode.OK, byThePartner.StatusCode);
        AssertRefundedOnce(payment, await shop.MerchantClient.OrderAsync(orderId));
    }

    [Fact]
    public async Task P4_3_P3_2_P1_6_a_wechat_payment_confirmed_after_its_merchant_anonymized_the_order_is_refunded_once()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        // The step a merchant's closing (P4.3) and a transfer objection (P3.2) take for each of the customer's orders.
        await platform.Grains.GetGrain<IOrderGrain>(orderId).Anonymize();

        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var replayed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        AssertRefundedOnce(payment, await shop.MerchantClient.OrderAsync(orderId));
    }

    [Fact]
    public async Task P4_1_P1_6_a_late_confirmation_for_an_order_anonymized_before_references_were_kept_is_refunded_once()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        await CancelAccountAsync(shop);
        var order = platform.Grains.GetGrain<IOrderGrain>(orderId);
        await order.EndActivationAsync();
        // What the earlier anonymization left: the payment awaiting its partner, its reference gone.
        await platform.ChangeStoredStateAsync<OrderState>(order, "order", stored => stored.Payments[0].PartnerReference = null);

        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var replayed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var otherReference = await platform.PostSignedAsync(
            ConfirmationPath, Confirmation(orderId, payment, reference: "silent-wechat-pay-charge-another"), Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        await otherReference.AssertProblemAsync(HttpStatusCode.Conflict);
        AssertRefundedOnce(payment, seen);
        Assert.Equal(payment.GetProperty("partnerReference").GetString(), seen.GetProperty("payments")[0].GetProperty("partnerReference").GetString());
    }

    [Fact]
    public async Task P4_1_P1_6_a_confirmation_taken_before_the_account_was_cancelled_is_taken_again_and_refunds_nothing()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        var body = Confirmation(orderId, payment);
        var inTime = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        await CancelAccountAsync(shop);

        var replayed = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);

        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal("paid", seen.GetProperty("status").GetString());
        Assert.Equal(0, seen.GetProperty("refunds").GetArrayLength());
        Assert.Empty(PartnerOutageSiloConfigurator.RefundsOf(payment.GetProperty("paymentId").GetString()!));
    }

    [Fact]
    public async Task P1_6_a_wechat_payment_confirmed_after_the_merchant_cancelled_the_order_is_given_back_once_by_the_cancellation()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        var cancelled = await shop.MerchantClient.SetStatusAsync(orderId, "cancelled");

        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("cancelled", seen.GetProperty("status").GetString());
        Assert.Equal("confirmed", seen.GetProperty("payments")[0].GetProperty("status").GetString());
        var refund = Assert.Single(seen.GetProperty("refunds").EnumerateArray());
        Assert.Equal(CommerceApiClient.TeaPrice, refund.GetProperty("amountFen").GetInt64());
        Assert.Equal(CommerceApiClient.TeaPrice, Assert.Single(PartnerOutageSiloConfigurator.RefundsOf(payment.GetProperty("paymentId").GetString()!)).Value);
    }

    // Paid in part by member card, the rest by a WeChat Pay charge still awaiting its partner as the customer left: the card
    // part stayed with the merchant until that charge's word, which may never come, and was missing from the settlement.
    [Fact]
    public async Task P4_1_P1_6_a_card_part_of_an_order_whose_charge_awaits_its_partner_goes_back_into_the_settlement_at_cancellation()
    {
        var shop = await platform.OpenShopAsync();
        await shop.TopUpAsync(5_000);
        var orderId = (await shop.PlaceOrderAsync(teas: 2, cakes: 0)).Id();
        await shop.MerchantClient.PaidAsync(orderId, "member-card", CommerceApiClient.TeaPrice);
        var paid = await shop.CustomerClient.PayAsync(orderId, "wechat", CommerceApiClient.TeaPrice);
        var charge = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments").EnumerateArray()
            .Single(payment => payment.GetProperty("method").GetString() == "wechat");

        var done = await platform.CancelCustomerAsync(shop, "Agent Card Part");
        var left = await shop.MerchantClient.OrderAsync(orderId);
        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, charge), Secret("wechat-pay"));
        var ended = await shop.MerchantClient.OrderAsync(orderId);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(5_000, done.GetProperty("receipt").GetProperty("memberCardsSettledFen").GetInt64());
        Assert.Equal("pending-payment", left.GetProperty("status").GetString());
        var cardBack = Assert.Single(left.GetProperty("refunds").EnumerateArray());
        Assert.Equal(CommerceApiClient.TeaPrice, cardBack.GetProperty("amountFen").GetInt64());
        Assert.Equal("order-not-payable", cardBack.GetProperty("reason").GetString());
        // The charge's word, when it comes, gives the charge back and ends the order.
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("cancelled", ended.GetProperty("status").GetString());
        Assert.Equal(2, ended.GetProperty("refunds").GetArrayLength());
        Assert.Equal(CommerceApiClient.TeaPrice, Assert.Single(PartnerOutageSiloConfigurator.RefundsOf(charge.GetProperty("paymentId").GetString()!)).Value);
    }

    // A customer who scanned the till's WeChat code and never paid (or a partner that never answered) held the order for
    // good: the charge counted as committed, so the till's cash was 409 overpayment, and a cashier could not cancel.
    [Fact]
    public async Task P1_6_a_charge_unconfirmed_past_its_window_lets_the_till_take_cash_and_its_late_confirmation_goes_back()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        var cashier = await CashierAsync(shop);
        var cashInTime = await cashier.PayAsync(orderId, "marked", CommerceApiClient.TeaPrice);
        await AgePaymentsPastTheirWindowAsync(orderId);

        var cash = await cashier.PayAsync(orderId, "marked", CommerceApiClient.TeaPrice);
        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var replayed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);
        // The cash the till took is still the merchant's to give back, whole.
        var refundOfCash = await shop.MerchantClient.PostAsJsonAsync($"/v1/orders/{orderId}/refunds", new { amountFen = CommerceApiClient.TeaPrice });

        await cashInTime.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Created, cash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal("paid", seen.GetProperty("status").GetString());
        Assert.Equal(CommerceApiClient.TeaPrice, seen.GetProperty("paidFen").GetInt64());
        Assert.Equal("lapsed", seen.GetProperty("payments")[0].GetProperty("status").GetString());
        var returned = Assert.Single(seen.GetProperty("refunds").EnumerateArray());
        Assert.Equal("payment-lapsed", returned.GetProperty("reason").GetString());
        Assert.Equal(CommerceApiClient.TeaPrice, Assert.Single(PartnerOutageSiloConfigurator.RefundsOf(payment.GetProperty("paymentId").GetString()!)).Value);
        Assert.Equal(HttpStatusCode.Created, refundOfCash.StatusCode);
    }

    // Within the window the charge holds the order and the till may not give it back; past it a cashier cancels, and the
    // charge goes back to where it came from, should it have gone through.
    [Fact]
    public async Task P1_6_a_cashier_cancels_an_order_whose_charge_went_unconfirmed_past_its_window_and_the_charge_goes_back()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        var cashier = await CashierAsync(shop);
        var cancelInTime = await cashier.SetStatusAsync(orderId, "cancelled");
        await AgePaymentsPastTheirWindowAsync(orderId);

        var cancelled = await cashier.SetStatusAsync(orderId, "cancelled");
        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);

        await cancelInTime.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("cancelled", seen.GetProperty("status").GetString());
        Assert.Equal(CommerceApiClient.TeaPrice, Assert.Single(PartnerOutageSiloConfigurator.RefundsOf(payment.GetProperty("paymentId").GetString()!)).Value);
    }

    // A payment begun past the window and then refused (a member card short of the amount) lapsed the customer's charge
    // all the same: its confirmation then gave the money back and the order stayed unpaid.
    [Fact]
    public async Task P1_6_a_payment_refused_after_the_window_lapses_nothing_and_the_charge_still_pays_when_confirmed()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        await AgePaymentsPastTheirWindowAsync(orderId);

        var refused = await shop.CustomerClient.PayAsync(orderId, "member-card", CommerceApiClient.TeaPrice);
        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, payment), Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);

        await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("paid", seen.GetProperty("status").GetString());
        Assert.Equal(0, seen.GetProperty("refunds").GetArrayLength());
        Assert.Empty(PartnerOutageSiloConfigurator.RefundsOf(payment.GetProperty("paymentId").GetString()!));
    }

    // A lapsed charge confirmed after its customer left went back with the stock, yet the order stayed awaiting payment for
    // good: only a refund of a charge the order no longer took ended it.
    [Fact]
    public async Task P4_1_P1_6_a_lapsed_charge_confirmed_after_the_customer_left_ends_the_order_cancelled()
    {
        var shop = await platform.OpenShopAsync();
        var orderId = (await shop.PlaceOrderAsync(teas: 2, cakes: 0)).Id();
        var paid = await shop.CustomerClient.PayAsync(orderId, "wechat", 2 * CommerceApiClient.TeaPrice);
        var charge = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments")[0];
        await AgePaymentsPastTheirWindowAsync(orderId);
        Assert.Equal(HttpStatusCode.Created, (await shop.MerchantClient.PayAsync(orderId, "marked", CommerceApiClient.TeaPrice)).StatusCode);
        await CancelAccountAsync(shop);

        var confirmed = await platform.PostSignedAsync(ConfirmationPath, Confirmation(orderId, charge), Secret("wechat-pay"));
        var seen = await shop.MerchantClient.OrderAsync(orderId);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("cancelled", seen.GetProperty("status").GetString());
        Assert.Contains(seen.GetProperty("refunds").EnumerateArray(), refund => refund.GetProperty("reason").GetString() == "payment-lapsed");
    }

    // P1.6 (*reviewer*): a confirmation whose write failed stayed in memory. The partner's retry after the 503 was answered
    // 200 "paid" from it while storage still said pending, and once the activation went the charge could lapse and be
    // given back to no one: the partner, told it was taken, never sent it again.
    [Fact]
    public async Task P1_6_a_confirmation_whose_write_failed_and_was_retried_is_paid_in_storage_too()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        var body = Confirmation(orderId, payment);

        var failed = await platform.Database.WhileStateWritesRefusedAsync(orderId, () => platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay")));
        var retried = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        await platform.Grains.GetGrain<IOrderGrain>(orderId).EndActivationAsync();
        var stored = await shop.MerchantClient.OrderAsync(orderId);

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("paid", stored.GetProperty("status").GetString());
        Assert.Equal("confirmed", stored.GetProperty("payments")[0].GetProperty("status").GetString());
        Assert.Equal(0, stored.GetProperty("refunds").GetArrayLength());
    }

    // P1.6 (*reviewer*): a confirmation whose order was written but whose takings row was not (503) was answered 200 on the
    // partner's retry from the order alone: the row was never written, and the day's report stayed short of the charge.
    [Fact]
    public async Task P1_6_a_confirmation_whose_takings_row_failed_is_in_the_days_report_once_retried()
    {
        var (shop, orderId, payment) = await PendingWechatPaymentAsync();
        var body = Confirmation(orderId, payment);

        var failed = await platform.Database.WhileTakingsRefusedAsync(orderId, () => platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay")));
        var retried = await platform.PostSignedAsync(ConfirmationPath, body, Secret("wechat-pay"));
        var report = await (await shop.MerchantClient.DailyReportAsync(shop.Merchant.MerchantId, RetailApiClient.ShanghaiToday())).Content.ReadFromJsonAsync<JsonElement>();

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(CommerceApiClient.TeaPrice, report.GetProperty("grossFen").GetInt64());
        Assert.Equal(CommerceApiClient.TeaPrice, report.GetProperty("byMethod").GetProperty("wechat").GetProperty("amountFen").GetInt64());
    }

    // The payment was begun longer ago than the partner's window: its stored time moved back, the clock left alone.
    private async Task AgePaymentsPastTheirWindowAsync(string orderId)
    {
        var order = platform.Grains.GetGrain<IOrderGrain>(orderId);
        await order.EndActivationAsync();
        await platform.ChangeStoredStateAsync<OrderState>(order, "order", stored =>
            stored.Payments.ForEach(payment => payment.At -= OrderState.PartnerConfirmationWindow + TimeSpan.FromMinutes(1)));
    }

    private async Task<HttpClient> CashierAsync(Shop shop)
    {
        var enrolled = await shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{shop.Merchant.MerchantId}/staff", new { name = "Late Till", role = "cashier" });
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        return platform.Client((await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!);
    }

    // The order shows one refund of the whole payment, made by the platform (no staff member), with the partner's
    // reference on the payment; the partner made exactly one refund, of what it confirmed.
    private static void AssertRefundedOnce(JsonElement payment, JsonElement order)
    {
        var paymentId = payment.GetProperty("paymentId").GetString()!;
        var atPartner = Assert.Single(PartnerOutageSiloConfigurator.RefundsOf(paymentId));
        Assert.Equal(CommerceApiClient.TeaPrice, atPartner.Value);
        var refund = Assert.Single(order.GetProperty("refunds").EnumerateArray());
        Assert.Equal(atPartner.Key, refund.GetProperty("refundId").GetString());
        Assert.Equal(CommerceApiClient.TeaPrice, refund.GetProperty("amountFen").GetInt64());
        Assert.Equal("order-not-payable", refund.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, refund.GetProperty("staffId").ValueKind);
        Assert.Equal(paymentId, Assert.Single(refund.GetProperty("parts").EnumerateArray()).GetProperty("paymentId").GetString());
        var paid = order.GetProperty("payments")[0];
        Assert.Equal("confirmed", paid.GetProperty("status").GetString());
        Assert.Equal($"silent-wechat-pay-refund-{atPartner.Key}", paid.GetProperty("refundReference").GetString());
        Assert.Equal(CommerceApiClient.TeaPrice, order.GetProperty("paidFen").GetInt64());
    }

    private async Task<(Shop Shop, string OrderId, JsonElement Payment)> PendingWechatPaymentAsync()
    {
        var shop = await platform.OpenShopAsync();
        var orderId = (await shop.PlaceOrderAsync(teas: 1, cakes: 0)).Id();
        var paid = await shop.CustomerClient.PayAsync(orderId, "wechat", CommerceApiClient.TeaPrice);
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        var payment = (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payments")[0];
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        return (shop, orderId, payment);
    }

    private async Task CancelAccountAsync(Shop shop)
    {
        var done = await platform.CancelCustomerAsync(shop, "Agent Cancel Late");
        Assert.Equal("completed", done.GetProperty("status").GetString());
    }

    private async Task<HttpClient> SupportAsync(string name) => platform.Client((await platform.EnrolStaffAsync(name, "support")).ApiKey);

    private static string Confirmation(string orderId, JsonElement payment, long? amountFen = null, string? reference = null) => JsonSerializer.Serialize(new
    {
        orderId,
        paymentId = payment.GetProperty("paymentId").GetString(),
        partnerReference = reference ?? payment.GetProperty("partnerReference").GetString(),
        amountFen = amountFen ?? payment.GetProperty("amountFen").GetInt64(),
    });
}
