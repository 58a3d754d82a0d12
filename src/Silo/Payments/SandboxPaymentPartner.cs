using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Payments;
using StandardWebhooks;

namespace MeiLing.Silo.Payments;

/// <summary>
/// A partner adapter that needs no real partner: it accepts every charge, answers a reference derived from
/// the payment id (a repeated charge gets the same one, as a real partner's idempotent API would), and then
/// confirms the charge the way a real partner does: a signed call to the API's confirmation route.
/// </summary>
public sealed partial class SandboxPaymentPartner(
    PaymentMethod method,
    string name,
    string signingSecret,
    IHttpClientFactory clients,
    ILogger<SandboxPaymentPartner> logger) : IPaymentPartner
{
    public const string HttpClientName = "sandbox-payment-partner";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly StandardWebhook _signer = new(signingSecret);

    public string Region => "CN";

    public string Name { get; } = name;

    public PaymentMethod Method { get; } = method;

    public Task<string> ChargeAsync(string paymentId, string orderId, long amountFen, CancellationToken cancellationToken = default)
    {
        var reference = ReferenceFor("charge", paymentId);
        // The partner answers the charge now and confirms it on its own time, as WeChat Pay's and Alipay's
        // notifications do: never inside the order grain's turn, which must not wait on a partner.
        _ = Task.Run(() => ConfirmAsync(orderId, paymentId, reference, amountFen), CancellationToken.None);
        return Task.FromResult(reference);
    }

    public Task<string> RefundAsync(string paymentId, string refundId, string orderId, long amountFen, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReferenceFor("refund", refundId));

    private async Task ConfirmAsync(string orderId, string paymentId, string reference, long amountFen)
    {
        var body = JsonSerializer.Serialize(new SandboxConfirmation(orderId, paymentId, reference, amountFen), Json);
        var messageId = $"msg_{paymentId}";
        var sentAt = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/payment-partners/{Name}/confirmations")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", _signer.Sign(messageId, sentAt, body));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                LogNotConfirmed(Name, paymentId, (int)response.StatusCode);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            LogNotConfirmed(Name, paymentId, 0);
        }
    }

    private string ReferenceFor(string operation, string paymentId)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Name}:{operation}:{paymentId}")))[..20];
        return $"sandbox-{Name}-{operation}-{digest}";
    }

    private sealed record SandboxConfirmation(string OrderId, string PaymentId, string PartnerReference, long AmountFen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox partner {Partner} could not confirm payment {PaymentId} (status {StatusCode}); it stays pending")]
    private partial void LogNotConfirmed(string partner, string paymentId, int statusCode);
}
