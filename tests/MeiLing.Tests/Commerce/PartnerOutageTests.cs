using System.Text.Json;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Retail;

namespace MeiLing.Tests.Commerce;

/// <summary>P1.6: partners that are missing, or that have not confirmed yet.</summary>
[Collection(PartnerOutageCollection.Name)]
public sealed class PartnerOutageTests(PartnerOutageFixture platform)
{
    [Fact]
    public async Task P1_6_a_partner_payment_that_cannot_start_leaves_nothing_pending_and_the_order_still_answers()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);

        var refused = await shop.CustomerClient.PayAsync(placed.Id(), "alipay", CommerceApiClient.TeaPrice);
        // The next call activates the order again from storage, as a restarted silo would.
        await platform.Grains.GetGrain<IOrderGrain>(placed.Id()).EndActivationAsync();
        var stored = await platform.ReadAsync<OrderState>("order", "order", placed.Id());
        var read = await shop.MerchantClient.GetAsync($"/v1/orders/{placed.Id()}");
        var paidInCash = await shop.MerchantClient.PayAsync(placed.Id(), "marked", CommerceApiClient.TeaPrice);

        Assert.EndsWith("/payment-method-unavailable", (await refused.AssertProblemAsync(HttpStatusCode.BadRequest)).TypeOf(), StringComparison.Ordinal);
        Assert.Empty(stored.PendingPayments);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Created, paidInCash.StatusCode);
        Assert.Equal("paid", (await paidInCash.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    // P1.6, P8.1 (*reviewer*): the order waited for its partner inside its turn, with no end: a partner that never answered
    // a charge held every call to the order (the till's read, the partner's own confirmation, a cancellation's refund).
    [Fact]
    public async Task P1_6_P8_1_a_partner_that_never_answers_a_charge_holds_the_order_only_for_its_call_timeout()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        PartnerOutageSiloConfigurator.NeverAnswerChargesOf(placed.Id());

        var unanswered = await shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice);
        var read = await shop.MerchantClient.GetAsync($"/v1/orders/{placed.Id()}");
        var stored = await platform.ReadAsync<OrderState>("order", "order", placed.Id());
        PartnerOutageSiloConfigurator.NeverAnswerChargesOf(placed.Id(), answered: true);
        // The partner took the money after all and confirms it, before anyone pays again: the confirmation finishes the
        // begun charge rather than being told of no such payment.
        var begunId = Assert.Single(stored.PendingPayments).PaymentId;
        var confirmed = await platform.PostSignedAsync("/v1/payment-partners/wechat-pay/confirmations", JsonSerializer.Serialize(new
        {
            orderId = placed.Id(), paymentId = begunId, partnerReference = $"silent-wechat-pay-charge-{begunId}", amountFen = CommerceApiClient.TeaPrice,
        }), TestSiloConfigurator.PartnerSecretsByName["wechat-pay"]);
        var retried = await shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice);

        Assert.EndsWith("/payment-partner-unavailable", (await unanswered.AssertProblemAsync(HttpStatusCode.ServiceUnavailable)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        // Left begun, finished by the confirmation: paid once, and paying again is beyond what is outstanding.
        await retried.AssertProblemAsync(HttpStatusCode.Conflict);
        var order = await shop.MerchantClient.OrderAsync(placed.Id());
        Assert.Equal("paid", order.GetProperty("status").GetString());
        Assert.Equal(begunId, Assert.Single(order.GetProperty("payments").EnumerateArray()).GetProperty("paymentId").GetString());
    }

    // P3.1, P5.1 (*reviewer*): a charge begun (its partner did not answer in time, 503) was resumed at the order's next
    // activation with no gate asked: once the account had begun closing (or the guardian had withdrawn), the user's payment
    // went to the partner again. Resumed only past the user's gate, it is not sent: it stays begun, the order is read and
    // anonymized all the same, and the partner's own confirmation still finishes the charge it took and gives it back.
    [Fact]
    public async Task P3_1_P5_1_a_begun_charge_is_not_sent_to_its_partner_again_once_the_account_is_closing()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var order = platform.Grains.GetGrain<IOrderGrain>(placed.Id());
        PartnerOutageSiloConfigurator.NeverAnswerChargesOf(placed.Id());
        var unanswered = await shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice);
        var begunId = Assert.Single((await platform.ReadAsync<OrderState>("order", "order", placed.Id())).PendingPayments).PaymentId;
        await platform.Grains.GetGrain<IUserDataRights>(shop.Customer.UserId).CloseAccount();
        PartnerOutageSiloConfigurator.NeverAnswerChargesOf(placed.Id(), answered: true);

        // Each call after an ended activation activates the order again from storage, which resumes what it left begun.
        await order.EndActivationAsync();
        // Support's read: the merchant's would be refused by the closing account's gate before it reached the order.
        var readWhileClosing = await order.Read(new OrderCaller(OrderParty.Support, "support"));
        var anonymized = await order.Anonymize();
        await order.EndActivationAsync();
        var readAnonymized = await shop.MerchantClient.OrderAsync(placed.Id());
        var chargeCalls = PartnerOutageSiloConfigurator.ChargeCallsOf(placed.Id());
        var stored = await platform.ReadAsync<OrderState>("order", "order", placed.Id());
        // The partner took the money at the first try after all and confirms it: its word finishes the charge, which the
        // order, taking no payment now, gives back.
        var confirmed = await platform.PostSignedAsync("/v1/payment-partners/wechat-pay/confirmations", JsonSerializer.Serialize(new
        {
            orderId = placed.Id(), paymentId = begunId, partnerReference = $"silent-wechat-pay-charge-{begunId}", amountFen = CommerceApiClient.TeaPrice,
        }), TestSiloConfigurator.PartnerSecretsByName["wechat-pay"]);

        await unanswered.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(OrderStatus.PendingPayment, readWhileClosing?.Status);
        Assert.True(anonymized);
        Assert.True(readAnonymized.GetProperty("anonymized").GetBoolean());
        // The first try only: neither the activations nor the anonymization sent the charge again, which stayed begun.
        Assert.Equal(1, chargeCalls);
        Assert.Equal(begunId, Assert.Single(stored.PendingPayments).PaymentId);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(CommerceApiClient.TeaPrice, Assert.Single(PartnerOutageSiloConfigurator.RefundsOf(begunId)).Value);
    }

    // P3.1, P5.1: a first charge went to its partner on the strength of a gate asked before the payment was begun. An account
    // that began closing (or a guardian who withdrew) while the order wrote the begun payment still had the payment handed to
    // the partner. The gate is asked again right before the charge is sent: refused, the partner is never called and the
    // payment is abandoned, nothing left begun that no partner's word would ever finish.
    [Fact]
    public async Task P3_1_A_first_partner_charge_asks_the_gate_right_before_it_is_sent()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var customer = platform.Grains.GetGrain<IUserDataRights>(shop.Customer.UserId);

        // The order's write of the begun payment is held: the gate has let the charge through, the partner is not yet called.
        var paid = await HeldWrite.WhileHoldingThenWritingAsync(platform.Database, "orleans_storage",
            $"NEW.grain_type = 'order' AND NEW.grain_id_string = '{placed.Id()}'", async held =>
            {
                var paying = shop.CustomerClient.PayAsync(placed.Id(), "wechat", CommerceApiClient.TeaPrice);
                // Held past the group commit's slow-commit mark (GroupCommitOptions.SlowCommit, counted from before the write
                // was held), the closing's write is sent beside the held one rather than queued behind it.
                await held.UntilHeldForAsync(new GroupCommitOptions().SlowCommit);
                await customer.CloseAccount();
                await held.ReleaseAsync();
                return await paying;
            });
        var stored = await platform.ReadAsync<OrderState>("order", "order", placed.Id());

        Assert.EndsWith("/account-closing", (await paid.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(0, PartnerOutageSiloConfigurator.ChargeCallsOf(placed.Id()));
        Assert.Empty(stored.PendingPayments);
        Assert.Empty(stored.Payments);
        Assert.Equal(OrderStatus.PendingPayment, stored.Status);
    }

    [Fact]
    public async Task P1_6_a_begun_payment_whose_partner_is_gone_does_not_stop_the_order_from_activating()
    {
        var shop = await platform.OpenShopAsync();
        var placed = await shop.PlaceOrderAsync(teas: 1, cakes: 0);
        var order = platform.Grains.GetGrain<IOrderGrain>(placed.Id());
        await order.EndActivationAsync();
        // What a silo that died mid-payment leaves, found by a silo where that partner is no longer configured.
        await platform.ChangeStoredStateAsync<OrderState>(order, "order", stored => stored.PendingPayments.Add(new OrderState.PaymentRecord
        {
            PaymentId = EntityId.New(EntityId.PaymentPrefix),
            Method = PaymentMethod.Alipay,
            AmountFen = CommerceApiClient.TeaPrice,
            At = DateTimeOffset.UtcNow,
        }));

        var read = await shop.MerchantClient.GetAsync($"/v1/orders/{placed.Id()}");
        var anonymized = await order.Anonymize();

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.True(anonymized);
    }

    [Fact]
    public async Task A_cashier_cannot_cancel_an_order_with_a_partner_payment_awaiting_confirmation()
    {
        var till = await platform.OpenTillAsync();
        await till.Owner.AddStockedProductAsync(till.MerchantId, "TEA", 500, stock: null);
        var order = await till.Cashier.WalkInSaleAsync(till.MerchantId, ("TEA", 2));
        await till.Cashier.PaidAsync(order.Id(), "wechat", 1_000);

        var cancelled = await till.Cashier.SetStatusAsync(order.Id(), "cancelled");

        await cancelled.AssertProblemAsync(HttpStatusCode.Forbidden);
        var read = await till.Owner.OrderAsync(order.Id());
        Assert.Equal("pending", read.GetProperty("payments")[0].GetProperty("status").GetString());
        Assert.Equal("pending-payment", read.GetProperty("status").GetString());
        Assert.Equal(0, read.GetProperty("refunds").GetArrayLength());
    }
}
