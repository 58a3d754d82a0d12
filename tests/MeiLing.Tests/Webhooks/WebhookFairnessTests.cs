using MeiLing.Grains.Platform;
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
        await using var hanging = await StartHangingAsync(() => Interlocked.Increment(ref hung), release.Token);
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
            // The hanging endpoint is tried too (its first attempts may reach it only after the prompt notice arrived),
            // and holds a few slots, not a batch of every silo's.
            Assert.True(await CountReachesAsync(() => Volatile.Read(ref hung), 1, seconds: 3), "The hanging endpoint was never tried.");
            Assert.InRange(Volatile.Read(ref hung), 1, 15);
        }
        finally
        {
            await platform.Database.ScalarAsync<int>("WITH gone AS (DELETE FROM webhook_outbox WHERE recipient = $1 RETURNING 1) SELECT count(*)::int FROM gone", slow.MerchantId);
            await release.CancelAsync();
        }
    }

    [Fact]
    public async Task P4_4_a_merchant_retrying_a_delivery_in_a_loop_never_has_it_sent_twice_at_once()
    {
        using var release = new CancellationTokenSource();
        var sends = 0;
        await using var hanging = await StartHangingAsync(() => Interlocked.Increment(ref sends), release.Token);
        var merchant = await platform.CreateMerchantAsync("Retries In A Loop");
        var client = platform.Client(merchant.ApiKey);
        // Any public URL would do for the merchant (a victim's); here, one that holds every request it is sent.
        await client.RegisterWebhookAsync(merchant.MerchantId, hanging);
        var deliveryId = EntityId.New(EntityId.DeliveryPrefix);

        try
        {
            await AddDueAsync(merchant.MerchantId, secondsAgo: 0, deliveryId);
            Assert.True(await CountReachesAsync(() => Volatile.Read(ref sends), 1, seconds: 3), "The delivery was never sent.");

            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null)).StatusCode);
            }

            // The first send still hangs (the attempt timeout is 5 s): no retry starts a second one beside it.
            Assert.False(await CountReachesAsync(() => Volatile.Read(ref sends), 2, seconds: 3), $"Sent {Volatile.Read(ref sends)} times at once.");
        }
        finally
        {
            await platform.Database.ScalarAsync<int>("WITH gone AS (DELETE FROM webhook_outbox WHERE recipient = $1 RETURNING 1) SELECT count(*)::int FROM gone", merchant.MerchantId);
            await release.CancelAsync();
        }
    }

    // An endpoint that takes each delivery and never answers until released: each attempt lasts until the silo's timeout.
    private static Task<WebhookReceiver> StartHangingAsync(Action received, CancellationToken release) =>
        WebhookReceiver.StartAsync(async _ =>
        {
            received();
            try
            {
                await Task.Delay(Timeout.Infinite, release);
            }
            catch (OperationCanceledException)
            {
            }

            return 200;
        });

    // Polls the count until it reaches the target or the deadline passes; whether it did.
    private static async Task<bool> CountReachesAsync(Func<int> count, int target, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (count() < target)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    // A due event as the outbox holds one, for a merchant with an endpoint.
    private async Task<string> AddDueAsync(string merchantId, int secondsAgo, string? deliveryId = null)
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<int>(
            """
            INSERT INTO webhook_outbox (delivery_id, event_id, recipient, recipient_kind, type, body, status, next_attempt_at, created_at)
            VALUES ($4, $1, $2, 'Merchant', 'customer.redact', '{"type":"customer.redact","data":{"userId":"usr_x"}}', 'pending',
                    now() - make_interval(secs => $3), now() - make_interval(secs => $3))
            RETURNING 1
            """,
            eventId, merchantId, (double)secondsAgo, deliveryId ?? EntityId.New(EntityId.DeliveryPrefix));
        return eventId;
    }
}
