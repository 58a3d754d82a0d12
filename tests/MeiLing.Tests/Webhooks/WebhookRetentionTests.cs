using MeiLing.Grains.Platform;
using MeiLing.Grains.Retention;
using MeiLing.Tests.Api;

namespace MeiLing.Tests.Webhooks;

/// <summary>Finished deliveries name users in their bodies: they leave the outbox after the retention window.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookRetentionTests(PlatformFixture platform)
{
    [Fact]
    public async Task P4_1_delivered_and_finally_failed_webhooks_are_erased_after_the_retention_window_and_pending_ones_stay()
    {
        var merchant = $"mer_retention{Guid.NewGuid():N}"[..28];
        var oldDelivered = await AddAsync(merchant, "delivered", finishedDaysAgo: 31);
        var recentDelivered = await AddAsync(merchant, "delivered", finishedDaysAgo: 2);
        var oldFailed = await AddAsync(merchant, "failed", finishedDaysAgo: 31);
        var oldPending = await AddAsync(merchant, "pending", finishedDaysAgo: 40);

        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        var left = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(event_id, ',' ORDER BY event_id) FROM webhook_outbox WHERE recipient = $1", merchant);
        Assert.Equal(string.Join(',', new[] { recentDelivered, oldPending }.Order(StringComparer.Ordinal)), left);
        Assert.DoesNotContain(oldDelivered, left);
        Assert.DoesNotContain(oldFailed, left);
    }

    // A retry made the row pending, and its next finish started the retention over: retried every few weeks, a notice
    // naming a user, erased or not, stayed in the outbox for good.
    [Fact]
    public async Task P4_1_a_delivery_older_than_the_outbox_keeps_is_not_retried_so_its_retention_never_starts_over()
    {
        var merchant = $"mer_retention{Guid.NewGuid():N}"[..28];
        var old = await AddAsync(merchant, "delivered", finishedDaysAgo: 31);
        var deliveryId = EntityId.New(EntityId.DeliveryPrefix);
        await platform.Database.ScalarAsync<int>("UPDATE webhook_outbox SET delivery_id = $2 WHERE event_id = $1 RETURNING 1", old, deliveryId);

        var retried = await platform.Operator().PostAsync($"/v1/webhook-deliveries/{deliveryId}/retry", null);

        var problem = await retried.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/delivery-expired", problem.TypeOf(), StringComparison.Ordinal);
        Assert.Equal("delivered", await platform.Database.ScalarAsync<string>("SELECT status FROM webhook_outbox WHERE delivery_id = $1", deliveryId));
    }

    // A row as the delivery leaves it; a pending one is due far ahead, so no silo takes it meanwhile.
    private async Task<string> AddAsync(string merchant, string status, int finishedDaysAgo)
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<int>(
            """
            INSERT INTO webhook_outbox (delivery_id, event_id, recipient, recipient_kind, type, body, status, attempts,
                                        last_attempt_at, delivered_at, next_attempt_at, created_at)
            VALUES ('dlv_' || $1, $1, $2, 'Merchant', 'customer.redact', '{"data":{"userId":"usr_x"}}', $3, 1,
                    now() - make_interval(days => $4), CASE WHEN $3 = 'delivered' THEN now() - make_interval(days => $4) END,
                    CASE WHEN $3 = 'pending' THEN now() + interval '1 day' END, now() - make_interval(days => $4))
            RETURNING 1
            """,
            eventId, merchant, status, finishedDaysAgo);
        return eventId;
    }
}
