namespace MeiLing.Grains.Payments;

/// <summary>
/// A payment partner's word that it took the money for one payment of an order: the partner, as the API
/// authenticated it, the payment it charged and under which reference, and the amount.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.partner-payment-confirmation")]
public sealed record PartnerPaymentConfirmation(
    [property: Id(0)] string Partner,
    [property: Id(1)] string PaymentId,
    [property: Id(2)] string PartnerReference,
    [property: Id(3)] long AmountFen);
