namespace MeiLing.Grains.Orders;

/// <summary>
/// A payment of an order by <see cref="Caller"/>. <see cref="MemberCode"/> is the code texted to the member for this order
/// and amount, which a merchant's staff need to draw on the member's card (P1.6): the card is the member's money.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.order-payment")]
public sealed record OrderPayment(
    [property: Id(0)] OrderCaller Caller,
    [property: Id(1)] PaymentMethod Method,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] string? MemberCode = null);
