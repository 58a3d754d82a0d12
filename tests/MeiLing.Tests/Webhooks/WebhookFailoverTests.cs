using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Webhooks;

[Collection(WebhookFailoverCollection.Name)]
public sealed class WebhookFailoverTests(FailoverFixture platform)
{
    // The receiver holds an attempt sent by a secondary silo until the test has killed that silo, then drops
    // the connection: the attempt in flight dies with its silo. Its lease runs out, a surviving silo sends the
    // same event again, and it is delivered. (Attempts from the primary, which the test cluster cannot kill,
    // are answered 500 so that a later one comes from a secondary.)
    [Fact]
    public async Task A_silo_killed_while_it_delivers_an_event_loses_nothing_another_silo_delivers_it_with_the_same_webhook_id()
    {
        var killed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var victimHolds = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async delivery =>
        {
            if (killed.Task.IsCompleted)
            {
                return 200;
            }

            var holder = await platform.Database.ScalarAsync<string>("SELECT coalesce(leased_by, '') FROM webhook_outbox WHERE event_id = $1", delivery.WebhookId);
            if (platform.Cluster.SecondarySilos.FirstOrDefault(silo => silo.SiloAddress.ToParsableString() == holder) is null)
            {
                return 500;
            }

            victimHolds.TrySetResult(holder!);
            await killed.Task;
            return 0;
        });
        var shop = await platform.OpenShopAsync();
        await shop.MerchantClient.RegisterWebhookAsync(shop.Merchant.MerchantId, receiver);
        await shop.PlaceOrderAsync();

        await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "access" });
        var holder = await victimHolds.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var victim = platform.Cluster.SecondarySilos.Single(silo => silo.SiloAddress.ToParsableString() == holder);
        await platform.Cluster.KillSiloAsync(victim);
        killed.SetResult(holder);
        var delivered = await receiver.WaitForAsync(r => r.Type == "customer.data_request" && r.Answered == 200, seconds: 90);
        var row = await shop.MerchantClient.WaitForDeliveryAsync(shop.Merchant.MerchantId, delivered.WebhookId, "delivered", seconds: 90);

        Assert.True(delivered.Verified);
        Assert.Single(receiver.Received.Select(r => r.WebhookId).Distinct());
        Assert.True(row.GetProperty("attempts").GetInt32() >= 1);
    }
}
