using MeiLing.Grains.Catalogue;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Orders;

namespace MeiLing.Tests.Unit.Orders;

/// <summary>Orders in the states the rules start from: placed for one green tea, paid by a method.</summary>
internal static class OrderStates
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    public static OrderState PlacedFor(long priceFen, Delivery? delivery = null)
    {
        var order = new OrderState();
        order.Place(
            new PlaceOrder("mer_1", "usr_1", [new OrderItem("TEA-1", 1)], delivery),
            "CN", new ProcessingBasis(LawfulBasis.ContractNecessity, null, Now), new OrderQuote([new OrderLine("TEA-1", "Green tea", priceFen, 1)], []), Now);
        return order;
    }

    public static void Pay(OrderState order, string paymentId, PaymentMethod method, long amountFen, bool awaitingPartner = false, string? reference = null)
    {
        order.BeginPayment(new OrderState.PaymentRecord { PaymentId = paymentId, Method = method, AmountFen = amountFen, At = Now });
        order.CompletePayment(paymentId, reference, awaitingPartner);
    }
}
