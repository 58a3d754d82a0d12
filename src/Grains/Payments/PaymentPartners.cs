using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Payments;

/// <summary>The partner adapter for each partner payment method.</summary>
public sealed class PaymentPartners(IEnumerable<IPaymentPartner> partners)
{
    private readonly Dictionary<PaymentMethod, IPaymentPartner> _byMethod = partners.ToDictionary(p => p.Method);

    public IPaymentPartner For(PaymentMethod method) =>
        _byMethod.TryGetValue(method, out var partner)
            ? partner
            : throw DomainException.InvalidField("method", "payment-method-unavailable", $"No partner is configured for {method}.");
}
