using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Orders;
using MeiLing.Grains;

namespace MeiLing.Tests.Unit.Retail;

public sealed class RefundRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_walk_in_order_has_no_user_and_no_basis()
    {
        var order = Placed(walkIn: true);

        Assert.Null(order.UserId);
        Assert.Null(order.Basis);
        Assert.Equal(["RICE"], order.StockedSkus);
    }

    [Fact]
    public void Refunding_lines_prices_them_as_sold_and_counts_them_off()
    {
        var order = Paid(("cash", PaymentMethod.Marked, 2_500));

        var refund = order.PlanRefund(new RefundOrder("rfd_1", [new OrderItem("RICE", 1)], null), "stf_m", Now);

        Assert.Equal(1_000, refund.AmountFen);
        Assert.Equal(1, order.RefundableQuantity("RICE"));
        Assert.Equal(1_500, order.RefundableFen());
    }

    [Fact]
    public void An_amount_above_what_is_left_is_refused_and_nothing_changes()
    {
        var order = Paid(("cash", PaymentMethod.Marked, 2_500));
        order.PlanRefund(new RefundOrder("rfd_1", null, 2_000), null, Now);

        var refused = Assert.Throws<DomainException>(() => order.PlanRefund(new RefundOrder("rfd_2", null, 501), null, Now));

        Assert.Equal("refund-exceeds-paid", refused.Code);
        Assert.Single(order.Refunds);
        Assert.Equal(500, order.RefundableFen());
    }

    [Fact]
    public void More_of_a_line_than_bought_is_refused()
    {
        var order = Paid(("cash", PaymentMethod.Marked, 2_500));

        var refused = Assert.Throws<DomainException>(() => order.PlanRefund(new RefundOrder("rfd_1", [new OrderItem("RICE", 3)], null), null, Now));

        Assert.Equal("refund-exceeds-lines", refused.Code);
    }

    [Fact]
    public void An_order_not_paid_is_not_refunded()
    {
        var order = Placed();

        Assert.Equal("order-not-refundable", Assert.Throws<DomainException>(() => order.PlanRefund(new RefundOrder("rfd_1", null, 1), null, Now)).Code);
    }

    [Fact]
    public void The_amount_is_shared_over_payments_newest_first_and_a_payment_awaiting_its_partner_is_not_refunded()
    {
        var order = Placed();
        Pay(order, "pay_cash", PaymentMethod.Marked, 1_000);
        Pay(order, "pay_card", PaymentMethod.MemberCard, 1_500);

        var refund = order.PlanRefund(new RefundOrder("rfd_1", null, 2_000), null, Now);

        Assert.Equal([("pay_card", 1_500L), ("pay_cash", 500L)], refund.Parts.Select(p => (p.PaymentId, p.AmountFen)));
    }

    [Fact]
    public void The_order_is_refunded_once_every_part_of_everything_paid_is_given_back()
    {
        var order = Paid(("cash", PaymentMethod.Marked, 2_500));
        var first = order.PlanRefund(new RefundOrder("rfd_1", null, 1_000), null, Now);
        order.CompleteRefundPart(first, first.Parts[0], null);
        var second = order.PlanRefund(new RefundOrder("rfd_2", null, 1_500), null, Now);

        Assert.Equal(OrderStatus.Paid, order.Status);
        order.CompleteRefundPart(second, second.Parts[0], null);
        Assert.Equal(OrderStatus.Refunded, order.Status);
    }

    [Fact]
    public void A_closing_refund_takes_what_is_left_once_and_leaves_the_status_to_its_transition()
    {
        var order = Paid(("cash", PaymentMethod.Marked, 2_500));
        order.PlanRefund(new RefundOrder("rfd_1", [new OrderItem("RICE", 1)], null), null, Now);

        var closing = order.PlanClosingRefund("rfd_close", null, Now)!;
        order.CompleteRefundPart(closing, closing.Parts[0], null);

        Assert.Equal(1_500, closing.AmountFen);
        Assert.Equal([new OrderItem("RICE", 1), new OrderItem("TEA", 1)], closing.Lines);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Null(order.PlanClosingRefund("rfd_close", null, Now));
    }

    [Fact]
    public void The_same_refund_request_is_recognised_and_another_body_is_not()
    {
        var order = Paid(("cash", PaymentMethod.Marked, 2_500));
        var refund = order.PlanRefund(new RefundOrder("rfd_1", [new OrderItem("RICE", 1)], null), null, Now);

        Assert.True(refund.IsSameRequest(new RefundOrder("rfd_1", [new OrderItem("RICE", 1)], null)));
        Assert.False(refund.IsSameRequest(new RefundOrder("rfd_1", [new OrderItem("RICE", 2)], null)));
        Assert.False(refund.IsSameRequest(new RefundOrder("rfd_1", [new OrderItem("RICE", 1)], 900)));
    }

    private static OrderState Placed(bool walkIn = false)
    {
        var order = new OrderState();
        order.Place(
            new PlaceOrder("mer_1", walkIn ? null : "usr_1", [new OrderItem("RICE", 2), new OrderItem("TEA", 1)], null),
            "CN", walkIn ? null : new ProcessingBasis(LawfulBasis.ContractNecessity, null, Now),
            new OrderQuote([new OrderLine("RICE", "Rice", 1_000, 2), new OrderLine("TEA", "Tea", 500, 1)], ["RICE"]), Now);
        return order;
    }

    private static OrderState Paid(params (string Id, PaymentMethod Method, long AmountFen)[] payments)
    {
        var order = Placed();
        foreach (var (id, method, amount) in payments)
        {
            Pay(order, id, method, amount);
        }

        return order;
    }

    private static void Pay(OrderState order, string paymentId, PaymentMethod method, long amountFen)
    {
        order.BeginPayment(new OrderState.PaymentRecord { PaymentId = paymentId, Method = method, AmountFen = amountFen, At = Now });
        order.CompletePayment(paymentId, null);
    }
}
