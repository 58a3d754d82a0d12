using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Orders;

using static MeiLing.Tests.Unit.Orders.OrderStates;

namespace MeiLing.Tests.Unit.Orders;

public sealed class OrderStateTests
{
    // After a business transfer a refund returned the lines' stock to the successor's product of the same SKU: another
    // merchant's shelf, or a stock record made up for a SKU it does not sell.
    [Fact]
    public void P3_2_an_order_handed_over_gives_no_stock_back_to_the_successors_product_of_its_sku()
    {
        var order = new OrderState();
        order.Place(
            new PlaceOrder("mer_1", "usr_1", [new OrderItem("TEA-1", 1)], null),
            "CN", new ProcessingBasis(LawfulBasis.ContractNecessity, null, Now), new OrderQuote([new OrderLine("TEA-1", "Green tea", 1_800, 1)], ["TEA-1"]), Now);

        var handedOver = order.HandOver("mer_1", "mer_2");

        Assert.True(handedOver);
        Assert.Equal("mer_2", order.MerchantId);
        Assert.Empty(order.StockedSkus);
    }

    [Fact]
    public void A_partner_payment_is_not_paid_until_its_partner_confirms()
    {
        var order = PlacedFor(1_800);

        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true);

        Assert.Equal(0, order.PaidFen());
        Assert.Equal(1_800, order.CommittedFen(Now));
        Assert.Equal(OrderStatus.PendingPayment, order.Status);
        Assert.Equal(PaymentStatus.Pending, order.ToView("ord_1").Payments[0].Status);
    }

    [Fact]
    public void P1_6_a_partner_charge_holds_the_order_for_its_window_and_no_longer()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true);

        var inTime = order.CommittedFen(Now + OrderState.PartnerConfirmationWindow);
        var past = order.CommittedFen(Now + OrderState.PartnerConfirmationWindow + TimeSpan.FromSeconds(1));

        Assert.Equal(1_800, inTime);
        Assert.Equal(0, past);
    }

    // Paid in part by cash after the charge lapsed, the order counted the charge's late confirmation as paid: 800 cash and
    // 1,000 given back made it paid at 1,800.
    [Fact]
    public void P1_6_a_lapsed_charge_confirmed_late_pays_nothing_and_goes_back_leaving_the_cash_refundable()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_000, awaitingPartner: true);
        var later = Now + OrderState.PartnerConfirmationWindow + TimeSpan.FromMinutes(1);
        order.LapseStalePartnerPayments(later, "pay_2");
        Pay(order, "pay_2", PaymentMethod.Marked, 800);
        var charge = order.MadePayment("pay_1")!;

        order.ConfirmPartnerPayment(charge);
        var returned = order.PlanReturnOfPaymentNotTaken(charge, "rfd_1", later);

        Assert.Equal(OrderStatus.PendingPayment, order.Status);
        Assert.Equal(800, order.PaidFen());
        Assert.Equal(800, order.RefundableFen());
        Assert.Equal(800, order.CommittedFen(later));
        Assert.Equal(OrderState.RefundRecord.PaymentLapsed, returned!.Reason);
        Assert.Equal(1_000, returned.AmountFen);
        Assert.Equal(PaymentStatus.Lapsed, order.ToView("ord_1").Payments[0].Status);
    }

    // A charge confirmed while the payment that took its place was still under way (a card's debit timed out, to be
    // finished on the next activation) counted, and so did that payment once finished: the order paid twice.
    [Fact]
    public void P1_6_a_charge_lapses_as_the_payment_in_its_place_begins_and_counts_again_if_that_payment_is_abandoned()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true);
        var later = Now + OrderState.PartnerConfirmationWindow + TimeSpan.FromMinutes(1);

        order.LapseStalePartnerPayments(later, "pay_2");
        order.BeginPayment(new OrderState.PaymentRecord { PaymentId = "pay_2", Method = PaymentMethod.MemberCard, AmountFen = 1_800, At = later });
        var whileUnderWay = order.MadePayment("pay_1")!.Lapsed;
        order.AbandonPayment("pay_2");

        Assert.True(whileUnderWay);
        Assert.False(order.MadePayment("pay_1")!.Lapsed);
        Assert.Equal(0, order.CommittedFen(later));
    }

    // A whole-order refund of a paid order gave back a lapsed charge besides, one its partner never confirmed.
    [Fact]
    public void P1_6_a_closing_refund_leaves_a_lapsed_charge_to_its_own_confirmation()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true);
        var later = Now + OrderState.PartnerConfirmationWindow + TimeSpan.FromMinutes(1);
        order.LapseStalePartnerPayments(later, "pay_2");
        Pay(order, "pay_2", PaymentMethod.Marked, 1_800);

        var refund = order.PlanClosingRefund("rfd_closing", "stf_1", later)!;

        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(1_800, refund.AmountFen);
        Assert.Equal(["pay_2"], refund.Parts.Select(part => part.PaymentId));
    }

    [Fact]
    public void The_partners_confirmation_makes_the_order_paid_once()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Alipay, 1_800, awaitingPartner: true);
        var payment = order.MadePayment("pay_1")!;

        var first = order.ConfirmPartnerPayment(payment);
        var again = order.ConfirmPartnerPayment(payment);

        Assert.True(first);
        Assert.False(again);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(1_800, order.PaidFen());
    }

    [Fact]
    public void Cash_and_a_confirmed_partner_payment_add_up_to_paid()
    {
        var order = PlacedFor(1_800);

        Pay(order, "pay_1", PaymentMethod.Marked, 800);
        Pay(order, "pay_2", PaymentMethod.Wechat, 1_000, awaitingPartner: true);
        var beforeConfirmation = order.Status;
        order.ConfirmPartnerPayment(order.MadePayment("pay_2")!);

        Assert.Equal(OrderStatus.PendingPayment, beforeConfirmation);
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [Fact]
    public void A_confirmation_arriving_after_cancellation_leaves_the_order_cancelled()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true);
        order.MoveTo(OrderStatus.Cancelled);

        order.ConfirmPartnerPayment(order.MadePayment("pay_1")!);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
    }

    [Fact]
    public void P4_1_P1_6_anonymizing_drops_the_user_and_delivery_and_keeps_lines_totals_and_the_partners_reference()
    {
        var order = PlacedFor(1_800, new Delivery("李雷", FormOfAddress.Male, "13800138000", "西安", "3-2"));
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true, reference: "ref-1");

        var changed = order.Anonymize();

        Assert.True(changed);
        Assert.Null(order.UserId);
        Assert.Null(order.Delivery);
        Assert.Equal("ref-1", order.Payments[0].PartnerReference);
        Assert.Equal(1_800, order.TotalFen);
        Assert.False(order.TakesPayments());
        Assert.False(order.Anonymize());
    }

    [Fact]
    public void P4_1_P1_6_a_charge_confirmed_after_anonymizing_is_planned_back_whole_once_and_leaves_the_order_unpaid()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true, reference: "ref-1");
        order.Anonymize();
        var payment = order.MadePayment("pay_1")!;

        order.ConfirmPartnerPayment(payment);
        var refund = order.PlanReturnOfPaymentNotTaken(payment, "ref_late", DateTimeOffset.UnixEpoch);
        var again = order.PlanReturnOfPaymentNotTaken(payment, "ref_late", DateTimeOffset.UnixEpoch);

        Assert.Equal(OrderStatus.PendingPayment, order.Status);
        Assert.NotNull(refund);
        Assert.Equal(1_800, refund.AmountFen);
        Assert.Equal("order-not-payable", refund.Reason);
        Assert.Equal(1_800, Assert.Single(refund.Parts).AmountFen);
        Assert.Null(again);
        Assert.Single(order.Refunds);
        Assert.Equal(0, order.RefundableFen());
    }

    [Fact]
    public void P1_6_a_charge_the_cancellation_already_gave_back_is_not_planned_back_again()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true, reference: "ref-1");
        order.PlanClosingRefund("ref_closing", null, DateTimeOffset.UnixEpoch);
        order.MoveTo(OrderStatus.Cancelled);
        var payment = order.MadePayment("pay_1")!;

        order.ConfirmPartnerPayment(payment);

        Assert.Null(order.PlanReturnOfPaymentNotTaken(payment, "ref_late", DateTimeOffset.UnixEpoch));
        Assert.Single(order.Refunds);
    }

    // One write, not three, for each unpaid order of a cancelled account: nothing moves, so nothing needs a plan first.
    [Fact]
    public void A_closing_refund_of_an_unpaid_order_without_stock_is_finished_at_once()
    {
        var order = PlacedFor(1_800);
        var refund = order.PlanClosingRefund("ref_closing", null, Now, ClosingRefundCause.CustomerLeft)!;

        Assert.True(order.TryFinishInPlace(refund));
        Assert.Empty(order.UnfinishedRefunds());
    }

    [Fact]
    public void A_closing_refund_with_money_or_stock_to_give_back_is_not_finished_in_place()
    {
        var paid = PlacedFor(1_800);
        Pay(paid, "pay_1", PaymentMethod.Marked, 1_800);
        var stocked = new OrderState();
        stocked.Place(
            new PlaceOrder("mer_1", "usr_1", [new OrderItem("TEA-1", 1)], null),
            "CN", new ProcessingBasis(LawfulBasis.ContractNecessity, null, Now), new OrderQuote([new OrderLine("TEA-1", "Green tea", 1_800, 1)], ["TEA-1"]), Now);

        Assert.False(paid.TryFinishInPlace(paid.PlanClosingRefund("ref_closing", null, Now)!));
        Assert.False(stocked.TryFinishInPlace(stocked.PlanClosingRefund("ref_closing", null, Now)!));
        Assert.Single(paid.UnfinishedRefunds());
        Assert.Single(stocked.UnfinishedRefunds());
    }

    // P1.6: a partner gives back once per refund id; a refund's parts over two charges of one partner were asked under one.
    [Fact]
    public void P1_6_each_partner_part_of_a_refund_is_asked_under_its_own_id_the_first_under_the_refunds()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_000);
        Pay(order, "pay_2", PaymentMethod.Wechat, 800);

        var refund = order.PlanRefund(new RefundOrder("rfd_1", null, 1_800), null, Now);
        var ids = refund.Parts.Select(refund.PartnerRefundIdOf).ToList();

        Assert.Equal(2, ids.Distinct().Count());
        Assert.Equal("rfd_1", ids[0]);
        // Worked out again (a retry, another silo), each part is asked under the same id.
        Assert.Equal(ids, refund.Parts.Select(refund.PartnerRefundIdOf));
    }

    [Fact]
    public void Delivery_details_are_corrected_only_before_fulfilment()
    {
        var order = PlacedFor(1_800, new Delivery("李雷", FormOfAddress.Male, "13800138000", "西安", "3-2"));
        var correction = new MeiLing.Grains.DataRights.DeliveryCorrection(null, "13900139000", null, null, OrderIds: ["ord_1"]);

        var whilePending = order.CorrectDelivery(correction, "ord_1", Now);
        order.MoveTo(OrderStatus.Fulfilled);
        var afterFulfilment = order.CorrectDelivery(correction with { Phone = "13700137000" }, "ord_1", Now);

        Assert.True(whilePending);
        Assert.False(afterFulfilment);
        Assert.Equal("13900139000", order.Delivery!.Phone);
    }

    [Fact]
    public void P3_1_a_deletion_of_addresses_erases_them_from_an_order_past_delivery_and_leaves_one_still_to_be_delivered()
    {
        var toDeliver = PlacedFor(1_800, new Delivery("李雷", FormOfAddress.Male, "13800138000", "西安", "3-2"));
        var delivered = PlacedFor(1_800, new Delivery("李雷", FormOfAddress.Male, "13800138000", "西安", "3-2"));
        delivered.MoveTo(OrderStatus.Fulfilled);

        Assert.False(toDeliver.EraseDeliveryAddress(Now));
        Assert.True(delivered.EraseDeliveryAddress(Now));
        Assert.True(delivered.EraseDeliveryAddress(Now));
        Assert.Equal("西安", toDeliver.Delivery!.Address);
        Assert.Equal(("", ""), (delivered.Delivery!.Address, delivered.Delivery.DoorNumber));
        Assert.Equal("李雷", delivered.Delivery.RecipientName);
        Assert.False(PlacedFor(1_800).EraseDeliveryAddress(Now));
    }

    // A merchant placed an order in a former customer's name with any delivery and left it unpaid (or paid it with its own
    // cash): "to be delivered" for good, it received the customer's new name, phone and address at each correction, and
    // kept their address past a deletion.
    [Fact]
    public void P1_5_P3_1_an_order_left_unpaid_or_undelivered_past_its_window_takes_no_correction_and_keeps_no_address()
    {
        var delivery = new Delivery("李雷", FormOfAddress.Male, "13800138000", "西安", "3-2");
        var correction = new MeiLing.Grains.DataRights.DeliveryCorrection(null, "13900139000", "北京", "1-1");
        var unpaid = PlacedFor(1_800, delivery);
        var paid = PlacedFor(1_800, delivery);
        Pay(paid, "pay_1", PaymentMethod.Marked, 1_800);
        var unpaidLater = Now + OrderState.UnpaidDeliveryWindow;
        var paidLater = Now + OrderState.PaidDeliveryWindow;

        Assert.True(unpaid.IsOnItsWay(unpaidLater - TimeSpan.FromMinutes(1)));
        Assert.True(paid.IsOnItsWay(paidLater - TimeSpan.FromMinutes(1)));
        Assert.False(unpaid.CorrectDelivery(correction with { OrderIds = ["ord_1"] }, "ord_1", unpaidLater));
        Assert.False(paid.CorrectDelivery(correction with { OrderIds = ["ord_1"] }, "ord_1", paidLater));
        Assert.Equal("西安", unpaid.Delivery!.Address);
        Assert.Equal("13800138000", paid.Delivery!.Phone);
        Assert.True(unpaid.EraseDeliveryAddress(unpaidLater));
        Assert.True(paid.EraseDeliveryAddress(paidLater));
        Assert.Equal("", unpaid.Delivery!.Address);
        Assert.Equal("", paid.Delivery!.Address);
    }

    // P1.5, P3.1 (*reviewer*): a merchant's key placed an order in a former customer's name every few days, unpaid or paid
    // with its own cash, and so held one on its way whenever the customer moved: the correction readdressed it. An order
    // takes a correction when the customer paid for it in their own session, or named it.
    [Fact]
    public void P1_5_P3_1_a_correction_readdresses_an_order_on_its_way_only_when_the_customer_paid_for_it_themselves_or_named_it()
    {
        var delivery = new Delivery("李雷", FormOfAddress.Male, "13800138000", "西安", "3-2");
        var correction = new MeiLing.Grains.DataRights.DeliveryCorrection(null, null, "北京", null);
        var unpaid = PlacedFor(1_800, delivery);
        var paidAtTheTill = PlacedFor(1_800, delivery);
        paidAtTheTill.BeginPayment(new OrderState.PaymentRecord { PaymentId = "pay_till", Method = PaymentMethod.Marked, AmountFen = 1_800, At = Now, TakenBy = "merchant" });
        paidAtTheTill.CompletePayment("pay_till", null, awaitingPartner: false);
        var chargeAwaited = PlacedFor(1_800, delivery);
        Pay(chargeAwaited, "pay_pending", PaymentMethod.Wechat, 1_800, awaitingPartner: true);
        var paidInTheApp = PlacedFor(1_800, delivery);
        Pay(paidInTheApp, "pay_app", PaymentMethod.Wechat, 1_800);
        var named = PlacedFor(1_800, delivery);

        Assert.False(unpaid.CorrectDelivery(correction, "ord_unpaid", Now));
        Assert.False(paidAtTheTill.CorrectDelivery(correction, "ord_till", Now));
        Assert.False(chargeAwaited.CorrectDelivery(correction, "ord_pending", Now));
        Assert.True(paidInTheApp.CorrectDelivery(correction, "ord_app", Now));
        Assert.True(named.CorrectDelivery(correction with { OrderIds = ["ord_named"] }, "ord_named", Now));
        Assert.Equal(["西安", "西安", "西安", "北京", "北京"], new[] { unpaid, paidAtTheTill, chargeAwaited, paidInTheApp, named }.Select(order => order.Delivery!.Address));
    }

    // A long-lead order paid on its sixth day keeps its whole window from the payment, not from its placing.
    [Fact]
    public void P1_5_a_paid_orders_window_runs_from_its_payment()
    {
        var order = PlacedFor(1_800, new Delivery("李雷", FormOfAddress.Male, "13800138000", "西安", "3-2"));
        var paidAt = Now + TimeSpan.FromDays(6);
        order.BeginPayment(new OrderState.PaymentRecord { PaymentId = "pay_late", Method = PaymentMethod.Marked, AmountFen = 1_800, At = paidAt });
        order.CompletePayment("pay_late", null, awaitingPartner: false);

        Assert.True(order.IsOnItsWay(Now + OrderState.PaidDeliveryWindow + TimeSpan.FromDays(1)));
        Assert.False(order.IsOnItsWay(paidAt + OrderState.PaidDeliveryWindow));
    }

    [Fact]
    public void P3_2_a_business_transfer_hands_the_order_to_the_successor_once_and_only_from_its_own_merchant()
    {
        var order = PlacedFor(1_800);

        var elsewhere = order.HandOver("mer_other", "mer_successor");
        var handed = order.HandOver("mer_1", "mer_successor");
        var again = order.HandOver("mer_1", "mer_successor");

        Assert.False(elsewhere);
        Assert.True(handed);
        Assert.False(again);
        Assert.Equal("mer_successor", order.MerchantId);
        Assert.Equal("usr_1", order.UserId);
    }
}
