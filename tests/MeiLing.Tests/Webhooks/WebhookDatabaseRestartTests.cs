using System.Collections.Concurrent;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Webhooks;

[Collection(OwnPostgresCollection.Name)]
public sealed class WebhookDatabaseRestartTests(OwnPostgresFixture platform)
{
    // The receiver holds the first attempt while the test stops PostgreSQL, keeps it down across a few polls of
    // every silo, and starts it again; only then is the attempt answered. Whether the silo could record that
    // answer or not, the event ends delivered, and the receiver, de-duplicating by webhook-id, acts on it once.
    [Fact]
    public async Task A_PostgreSQL_restart_while_an_event_is_in_flight_delays_it_and_the_receiver_acts_on_it_exactly_once()
    {
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actedOn = new ConcurrentDictionary<string, int>();
        await using var receiver = await WebhookReceiver.StartAsync(async delivery =>
        {
            inFlight.TrySetResult();
            await restarted.Task;
            // A receiver that has seen this webhook-id answers 200 again and does nothing twice.
            actedOn.AddOrUpdate(delivery.WebhookId, 1, (_, seen) => seen);
            return 200;
        });
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        var order = (await shop.PlaceOrderAsync()).Id();

        var requestId = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" })).RequestId();
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await platform.Postgres.StopAsync();
        // Down until the platform notices (its readiness answers 503): the outbox polls meanwhile meet a database that is away.
        await WaitUntilNotReadyAsync();
        await platform.Postgres.StartAgainAsync();
        restarted.SetResult();
        var delivered = await receiver.WaitForAsync(r => r.Type == "customer.data_request" && r.Answered == 200, seconds: 90);
        var row = await shop.MerchantClient.WaitForDeliveryAsync(shop.Merchant.MerchantId, delivered.WebhookId, "delivered", seconds: 90);

        Assert.True(delivered.Verified);
        Assert.Equal(requestId, delivered.Data.GetProperty("requestId").GetString());
        Assert.Equal([order], delivered.Data.GetProperty("orderIds").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal(delivered.WebhookId, Assert.Single(actedOn).Key);
        Assert.Single(receiver.Received.Where(r => r.Type == "customer.data_request").Select(r => r.WebhookId).Distinct());
        Assert.True(row.GetProperty("attempts").GetInt32() >= 1);
    }

    private async Task WaitUntilNotReadyAsync()
    {
        using var client = platform.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(DateTime.UtcNow < deadline, "The API never noticed the database was down.");
            await Task.Delay(100);
        }
    }
}
