using MeiLing.Grains.Orders;
using MeiLing.Grains.Reports;

using static MeiLing.Tests.Unit.Orders.OrderStates;

namespace MeiLing.Tests.Unit.Retail;

public sealed class TakingsEntriesTests
{
    [Fact]
    public void A_cancelled_order_whose_partner_payment_was_never_confirmed_is_no_takings_and_no_refund()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true);

        GiveEverythingBack(order);

        Assert.Empty(TakingsLedger.EntriesOf(order));
    }

    [Fact]
    public void Once_the_partner_confirms_the_cancelled_payment_both_it_and_its_refund_are_takings()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Wechat, 1_800, awaitingPartner: true);
        GiveEverythingBack(order);

        order.ConfirmPartnerPayment(order.MadePayment("pay_1")!);

        var entries = TakingsLedger.EntriesOf(order);
        Assert.Equal([(TakingsLedger.Payment, 1_800L), (TakingsLedger.Refund, 1_800L)], entries.Select(e => (e.Kind, e.AmountFen)));
    }

    [Fact]
    public void A_cash_payment_and_its_refund_are_takings_at_once()
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Marked, 1_800);

        GiveEverythingBack(order);

        var entries = TakingsLedger.EntriesOf(order);
        Assert.Equal([(TakingsLedger.Payment, 1_800L), (TakingsLedger.Refund, 1_800L)], entries.Select(e => (e.Kind, e.AmountFen)));
    }

    // P1.6, P4.1: a cashier marked an order paid in cash without taking it, and the colluding customer closed their
    // account: the order's cancellation gave the cash back in the merchant key's name, and the till's shortfall named nobody.
    [Fact]
    public void P1_6_P4_1_cash_given_back_as_the_customer_leaves_is_nobody_at_the_merchants_refund() =>
        AssertCashGivenBackByNobody(ClosingRefundCause.CustomerLeft, OrderState.RefundRecord.OrderNotPayable);

    // P1.6, P4.3, P3.2 (*reviewer*): a closing merchant's undelivered order paid in cash was cancelled with a refund in the
    // merchant key's name, though no cash moved: the customer read it as given back, the day's report as the merchant's refund.
    [Fact]
    public void P1_6_P4_3_cash_of_an_undelivered_order_as_the_merchant_leaves_is_owed_back_not_the_merchant_keys_refund() =>
        AssertCashGivenBackByNobody(ClosingRefundCause.MerchantLeft, OrderState.RefundRecord.MerchantLeft);

    private static void AssertCashGivenBackByNobody(ClosingRefundCause cause, string reason)
    {
        var order = PlacedFor(1_800);
        Pay(order, "pay_1", PaymentMethod.Marked, 1_799);

        var refund = order.PlanClosingRefund("rfd_1", staffId: null, Now, cause)!;
        foreach (var part in refund.Parts.ToList())
        {
            order.CompleteRefundPart(refund, part, reference: null);
        }

        Assert.Equal(reason, refund.Reason);
        var given = Assert.Single(TakingsLedger.EntriesOf(order), entry => entry.Kind == TakingsLedger.Refund);
        Assert.Null(given.TakenBy);
    }

    private static void GiveEverythingBack(OrderState order)
    {
        var refund = order.PlanClosingRefund("rfd_1", staffId: null, Now)!;
        foreach (var part in refund.Parts.ToList())
        {
            order.CompleteRefundPart(refund, part, reference: null);
        }
    }
}
