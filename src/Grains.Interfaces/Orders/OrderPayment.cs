namespace MeiLing.Grains.Orders;

/// <summary>
/// A payment of an order by <see cref="Caller"/>. <see cref="MemberCode"/> is the code texted to the member for this order
/// and amount, which a merchant's staff need to draw on the member's card (P1.6): the card is the member's money.
/// <see cref="SignedInRecently"/>: the caller's session began with a password proven within the deployment's recent
/// sign-in window (the token's own signed sign-in time, read at the edge); false unless the edge says so.
/// <see cref="PaymentId"/>: the id the caller's <c>Idempotency-Key</c> gives it, so a retry finds the payment it made
/// rather than making another; null for a new id each time.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.order-payment")]
public sealed record OrderPayment(
    [property: Id(0)] OrderCaller Caller,
    [property: Id(1)] PaymentMethod Method,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] string? MemberCode = null,
    [property: Id(4)] bool SignedInRecently = false,
    [property: Id(5)] string? PaymentId = null);
