using MeiLing.Grains.Orders;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Payments;

/// <summary>The partner adapter for each partner payment method, and the calls to them, each within its time.</summary>
public sealed class PaymentPartners(IEnumerable<IPaymentPartner> partners, IOptions<PaymentPartnerSettings> settings)
{
    private readonly Dictionary<PaymentMethod, IPaymentPartner> _byMethod = partners.ToDictionary(p => p.Method);

    public IPaymentPartner For(PaymentMethod method) =>
        _byMethod.TryGetValue(method, out var partner)
            ? partner
            : throw DomainException.InvalidField("method", "payment-method-unavailable", $"No partner is configured for {method}.");

    /// <summary>Asks <paramref name="partner"/> to charge; unanswered within the call timeout: 503, the payment left begun.</summary>
    public Task<string> ChargeAsync(IPaymentPartner partner, string paymentId, string orderId, long amountFen) =>
        WithinTimeoutAsync(partner, cancellation => partner.ChargeAsync(paymentId, orderId, amountFen, cancellation));

    /// <summary>Asks <paramref name="partner"/> to give back; unanswered within the call timeout: 503, the refund left begun.</summary>
    public Task<string> RefundAsync(IPaymentPartner partner, string paymentId, string refundId, string orderId, long amountFen) =>
        WithinTimeoutAsync(partner, cancellation => partner.RefundAsync(paymentId, refundId, orderId, amountFen, cancellation));

    // P1.6, P8.1 (*reviewer*): the order grain waits for its partner inside its turn; one that never answered held every
    // call to the order (the till's, the partner's confirmation, a cancellation's refund) for good. An adapter that ignores
    // the token is let go of all the same. Unavailable: what was begun stays begun, and is finished once, never made again.
    private async Task<string> WithinTimeoutAsync(IPaymentPartner partner, Func<CancellationToken, Task<string>> call)
    {
        using var timeout = new CancellationTokenSource(settings.Value.CallTimeout);
        try
        {
            return await call(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw DomainException.Unavailable("payment-partner-unavailable", $"{partner.Name} did not answer in time; try again: what was begun is finished once, not made again.");
        }
    }
}
