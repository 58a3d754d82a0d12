using System.Security.Cryptography;
using System.Text;
using MeiLing.Grains.Orders;

namespace MeiLing.Grains.Payments;

/// <summary>
/// A partner adapter that needs no network: it accepts every charge and answers a reference derived
/// from the payment id, so a repeated charge gets the same reference, as a real partner's idempotent API would.
/// </summary>
public sealed class SandboxPaymentPartner(PaymentMethod method, string name, string region = "CN") : IPaymentPartner
{
    public string Region { get; } = region;

    public string Name { get; } = name;

    public PaymentMethod Method { get; } = method;

    public Task<string> ChargeAsync(string paymentId, string orderId, long amountFen, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReferenceFor("charge", paymentId));

    public Task<string> RefundAsync(string paymentId, string orderId, long amountFen, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReferenceFor("refund", paymentId));

    private string ReferenceFor(string operation, string paymentId)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Name}:{operation}:{paymentId}")))[..20];
        return $"sandbox-{Name}-{operation}-{digest}";
    }
}
