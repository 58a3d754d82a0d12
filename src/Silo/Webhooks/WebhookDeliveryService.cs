using System.Globalization;
using System.Text;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Webhooks;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using StandardWebhooks;

namespace MeiLing.Silo.Webhooks;

/// <summary>
/// Delivers the outbox from every silo, outside any grain turn: leases due rows (rows another silo holds
/// are skipped, not waited for), sends each with a per-attempt timeout, and records the outcome. A silo
/// killed mid-attempt leaves a lease that runs out, and another silo sends the event again with the same
/// webhook-id; a database that is away delays deliveries, and the next poll carries on.
/// </summary>
public sealed partial class WebhookDeliveryService(
    WebhookOutboxStore outbox,
    WebhookSecrets secrets,
    IEnumerable<IRecipientNotifier> notifiers,
    IHttpClientFactory clients,
    ILocalSiloDetails silo,
    IOptions<WebhookDeliverySettings> options,
    TimeProvider clock,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public const string HttpClientName = "merchant-webhooks";

    private readonly string _leaseHolder = silo.SiloAddress.ToParsableString();

    private WebhookDeliverySettings Settings => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Attempts run side by side, up to BatchSize, and a slot that frees is filled at the next poll, which it wakes: an
        // endpoint that answers slowly, or not at all until the attempt's timeout, holds only its own slots, never the
        // others' (the outbox leases few of one recipient's deliveries at a time, WebhookDeliverySettings.PerRecipient).
        var inFlight = new HashSet<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = Settings.BatchSize - inFlight.Count;
            if (free > 0)
            {
                try
                {
                    var now = clock.GetUtcNow();
                    foreach (var delivery in await outbox.LeaseDueAsync(now, now + Settings.Lease, _leaseHolder, free, Settings.PerRecipient))
                    {
                        inFlight.Add(AttemptSafelyAsync(delivery, stoppingToken));
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    // PostgreSQL away, most likely: the rows stay where they are; the next poll tries again.
                    LogPollFailed(exception.GetType().Name);
                }
            }

            // Jittered, so the silos' polls do not fall into step and one silo does not win every claim; an attempt that
            // ends wakes the loop sooner, so a recipient that answers quickly gets its next deliveries at once.
            using (var pausing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                var pause = Task.Delay(Settings.PollInterval * (0.5 + Random.Shared.NextDouble()), pausing.Token);
                Task[] wakers = inFlight.Count >= Settings.BatchSize ? [.. inFlight] : [pause, .. inFlight];
                await Task.WhenAny(wakers);
                // Woken by an attempt: the pause's timer goes now, not when it would have fired.
                await pausing.CancelAsync();
            }

            inFlight.RemoveWhere(attempt => attempt.IsCompleted);
        }

        await Task.WhenAll(inFlight);
    }

    // An attempt's own failure (its record not written: the database away) leaves the row leased; the lease runs out and
    // it is sent again. Nothing of it may end the loop.
    private async Task AttemptSafelyAsync(LeasedDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await AttemptAsync(delivery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogPollFailed(exception.GetType().Name);
        }
    }

    private async Task AttemptAsync(LeasedDelivery delivery, CancellationToken stoppingToken)
    {
        var startedAt = clock.GetUtcNow();
        var endpoint = delivery.RecipientKind == RecipientKind.Merchant ? await outbox.EndpointAsync(delivery.Recipient) : null;
        if (delivery is { RecipientKind: RecipientKind.Merchant, DeliveredUrl: { } deliveredTo } && endpoint?.Url != deliveredTo)
        {
            // P3.1: retried by hand while the endpoint still named the URL that took it, then re-pointed before this send:
            // sent now, a past notice naming users would reach whoever the new URL names, signed with the new secret.
            LogDeliveredElsewhere(delivery.DeliveryId);
            await outbox.KeepDeliveredAsync(delivery, _leaseHolder);
            return;
        }

        var (delivered, confirmed, statusCode, url) = delivery.RecipientKind == RecipientKind.Merchant
            ? await SendWebhookAsync(delivery, endpoint, stoppingToken)
            : await NotifyPartnerAsync(delivery, stoppingToken);

        // Stopping mid-attempt: the lease runs out and another silo (or this one, restarted) sends it again.
        stoppingToken.ThrowIfCancellationRequested();
        var next = delivered ? null : Settings.NextAttemptAfter(delivery.Attempts + 1, startedAt);
        if (!delivered)
        {
            LogAttemptFailed(delivery.DeliveryId, delivery.Attempts + 1, statusCode ?? 0, next is null);
        }

        await outbox.RecordAttemptAsync(delivery, _leaseHolder, new AttemptOutcome(delivered, confirmed, statusCode, next, delivered ? url : null), clock.GetUtcNow());
    }

    // The URL sent to comes back with the outcome: a delivered event is sent again by hand only to the URL that took it (P3.1).
    private async Task<(bool Delivered, bool Confirmed, int? StatusCode, string? Url)> SendWebhookAsync(
        LeasedDelivery delivery, StoredEndpoint? endpoint, CancellationToken stoppingToken)
    {
        if (endpoint is null)
        {
            return (false, false, null, null);
        }

        // Real time, not the platform's clock: receivers check the timestamp against their own clocks.
        var sentAt = DateTimeOffset.UtcNow;
        var signer = new StandardWebhook(await secrets.OpenAsync(delivery.Recipient, endpoint.SealedSecret));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signer.Sign(delivery.EventId, sentAt, delivery.Body));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            return (response.IsSuccessStatusCode, false, (int)response.StatusCode, endpoint.Url);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested
            && exception is HttpRequestException or TaskCanceledException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            return (false, false, null, endpoint.Url);
        }
    }

    private async Task<(bool Delivered, bool Confirmed, int? StatusCode, string? Url)> NotifyPartnerAsync(LeasedDelivery delivery, CancellationToken stoppingToken)
    {
        if (notifiers.FirstOrDefault(notifier => notifier.Handles(delivery.Recipient, delivery.RecipientKind)) is not { } notifier)
        {
            LogNoAdapter(delivery.RecipientKind.ToString(), delivery.Recipient);
            return (false, false, null, null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(Settings.AttemptTimeout);
        try
        {
            var confirmed = await notifier.NotifyAsync(delivery.Recipient, delivery.EventId, delivery.Type, delivery.Body, timeout.Token);
            return (true, confirmed, null, null);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogAdapterFailed(delivery.Recipient, exception.GetType().Name);
            // A partner's endpoint that answered with an error holds the notice: its status is kept (P3.1).
            return (false, false, exception is HttpRequestException { StatusCode: { } answered } ? (int)answered : null, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} was retried for an endpoint URL since re-pointed; kept delivered, not sent")]
    private partial void LogDeliveredElsewhere(string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook outbox poll failed ({Reason}); trying again")]
    private partial void LogPollFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} attempt {Attempt} failed (status {StatusCode}); given up: {GivenUp}")]
    private partial void LogAttemptFailed(string deliveryId, int attempt, int statusCode, bool givenUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No adapter tells {Kind} {Recipient}; the delivery waits and retries")]
    private partial void LogNoAdapter(string kind, string recipient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {Recipient} was not told ({Reason}); retrying later")]
    private partial void LogAdapterFailed(string recipient, string reason);
}
