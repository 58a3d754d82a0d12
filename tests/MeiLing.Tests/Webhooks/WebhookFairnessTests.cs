using MeiLing.Tests.Api;

namespace MeiLing.Tests.Webhooks;

/// <summary>One merchant's endpoint cannot hold back the notices of everyone else (P8.1: recipients are told in time).</summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookFairnessTests(PlatformFixture platform)
{
    // Below the tests' attempt timeout (5 s): a notice held behind a hanging endpoint's attempts arrives only after it.
    private const int PromptSeconds = 4;

    [Fact]
    public async Task P8_1_a_merchant_whose_endpoint_hangs_with_many_deliveries_due_holds_back_no_other_merchants_notice()
    {
        using var release = new CancellationTokenSource();
        var hung = 0;
        await using var hanging = await WebhookReceiver.StartAsync(async _ =>
        {
            // Takes the delivery and never answers: each attempt lasts until the silo's timeout.
            Interlocked.Increment(ref hung);
            try
            {
                await Task.Delay(Timeout.Infinite, release.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return 200;
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var slow = await platform.CreateMerchantAsync("Never Answers");
        await platform.Client(slow.ApiKey).RegisterWebhookAsync(slow.MerchantId, hanging);
        var prompt = await platform.CreateMerchantAsync("Answers At Once");
        await platform.Client(prompt.ApiKey).RegisterWebhookAsync(prompt.MerchantId, receiver);

        try
        {
            // A hundred deliveries due for the hanging endpoint, all due before the other merchant's one.
            for (var i = 0; i < 100; i++)
            {
                await AddDueAsync(slow.MerchantId, secondsAgo: 60);
            }

            var promptEvent = await AddDueAsync(prompt.MerchantId, secondsAgo: 0);

            var arrived = await receiver.WaitForAsync(r => r.WebhookId == promptEvent, seconds: PromptSeconds);

            Assert.Equal(200, arrived.Answered);
            // The hanging endpoint holds a few slots, not a batch of every silo's.
            Assert.InRange(Volatile.Read(ref hung), 1, 15);
        }
        finally
        {
            await platform.Database.ScalarAsync<int>("WITH gone AS (DELETE FROM webhook_outbox WHERE recipient = $1 RETURNING 1) SELECT count(*)::int FROM gone", slow.MerchantId);
            await release.CancelAsync();
        }
    }

    // A due event as the outbox holds one, for a merchant with an endpoint.
    private async Task<string> AddDueAsync(string merchantId, int secondsAgo)
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<int>(
            """
            INSERT INTO webhook_outbox (delivery_id, event_id, recipient, recipient_kind, type, body, status, next_attempt_at, created_at)
            VALUES ('dlv_' || $1, $1, $2, 'Merchant', 'customer.redact', '{"type":"customer.redact","data":{"userId":"usr_x"}}', 'pending',
                    now() - make_interval(secs => $3), now() - make_interval(secs => $3))
            RETURNING 1
            """,
            eventId, merchantId, (double)secondsAgo);
        return eventId;
    }
}
