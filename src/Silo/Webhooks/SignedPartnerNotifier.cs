using System.Globalization;
using System.Text;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Webhooks;
using StandardWebhooks;

namespace MeiLing.Silo.Webhooks;

/// <summary>
/// Tells a partner outside the platform (a payment partner, the delivery partner) of a data-rights event about a user
/// whose data it received, at the URL its operator configured: the event as a Standard Webhook signed with the partner's
/// own secret, under the event's id. A 2xx answer means notified, never confirmed: the partner says it acted through the
/// signed <c>POST /v1/payment-partners/{partner}/recipient-confirmations</c>, as a merchant does through its own route.
/// Any other answer throws, and the outbox tries again on its schedule (P3.1).
/// </summary>
public sealed class SignedPartnerNotifier(PartnerNoticeEndpoints endpoints, IHttpClientFactory clients) : IRecipientNotifier
{
    public const string HttpClientName = "partner-notices";

    public bool Handles(string recipient, RecipientKind kind) =>
        kind is RecipientKind.PaymentPartner or RecipientKind.DeliveryPartner && endpoints.Has(recipient);

    public async Task<bool> NotifyAsync(string recipient, string eventId, string type, string body, CancellationToken cancellationToken)
    {
        if (!endpoints.TryGet(recipient, out var endpoint))
        {
            throw new InvalidOperationException($"No notice URL is configured for {recipient}.");
        }

        // Real time, not the platform's clock: the partner checks the timestamp against its own clock.
        var sentAt = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", eventId);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(endpoint.Secret).Sign(eventId, sentAt, body));
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return false;
    }
}
