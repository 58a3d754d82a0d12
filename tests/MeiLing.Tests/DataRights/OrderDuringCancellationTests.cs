using System.Text.Json;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using Orleans.TestingHost;
using Npgsql;

namespace MeiLing.Tests.DataRights;

/// <summary>
/// An order for a user is placed in the user's own turn: a cancellation filed while an order is past its gate but not yet
/// committed waits for that commit, so the erasure that follows finds the order. Placed beside the user's grain, the
/// order could land after the erasure had looked, and keep the user's delivery address for good.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OrderDuringCancellationTests(PlatformFixture platform)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task P4_1_an_order_past_its_gate_when_the_account_is_cancelled_is_committed_first_and_anonymized_by_the_cancellation(bool underIdempotencyKey)
    {
        var shop = await platform.OpenShopAsync();
        var userId = shop.Customer.UserId;
        var orderId = underIdempotencyKey
            ? EntityId.FromIdempotencyKey(EntityId.OrderPrefix, shop.Merchant.MerchantId, Guid.NewGuid().ToString())
            : EntityId.NewInTimeOrder(EntityId.OrderPrefix);
        var address = $"西安市雁塔区{Guid.NewGuid():N}"[..20];
        var command = new PlaceOrder(shop.Merchant.MerchantId, userId, [new OrderItem("TEA-1", 1)],
            new Delivery("收件人", FormOfAddress.Female, "13800138000", address, "1-1-101"));

        // Another transaction holds the order's listing row: the order passes its gate, then its commit waits on the lock.
        await using var blocker = await platform.Database.DataSource.OpenConnectionAsync();
        await using var holding = await blocker.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(
            "INSERT INTO order_index (order_id, merchant_id, created_at, total_fen, status) VALUES ($1, $2, now(), 0, 'held')", blocker, holding))
        {
            hold.Parameters.Add(new() { Value = orderId });
            hold.Parameters.Add(new() { Value = shop.Merchant.MerchantId });
            await hold.ExecuteNonQueryAsync();
        }

        // As the API places it: under a minted id through the customer's grain, under a key through the order's grain.
        var placing = underIdempotencyKey
            ? platform.Grains.GetGrain<IOrderGrain>(orderId).Place(command)
            : platform.Grains.PlaceNewOrder(orderId, command);
        await Polling.UntilAsync(async () => await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%order_index%'") >= 1);

        // The cancellation is filed with the user's grain, which is still in the order's turn: it waits there.
        var filing = shop.CustomerClient.FileRequestAsync(userId, new { type = "cancellation" });
        await Polling.UntilAsync(() => Task.FromResult(platform.HasCallWaiting(platform.Grains.GetGrain<IUserGrain>(userId))));
        Assert.False(filing.IsCompleted);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM data_rights_requests WHERE user_id = $1", userId));

        await holding.RollbackAsync();
        var placed = await placing.WaitAsync(TimeSpan.FromSeconds(30));
        var request = await filing.WaitAsync(TimeSpan.FromSeconds(30));
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Race", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync(request.RequestId());

        Assert.Equal(orderId, placed.OrderId);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("receipt").GetProperty("erased").GetProperty("anonymize-orders").GetInt32());
        var order = await shop.MerchantClient.GetFromJsonAsync<JsonElement>($"/v1/orders/{orderId}");
        Assert.True(order.GetProperty("anonymized").GetBoolean());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("delivery").ValueKind);
        Assert.Empty(await platform.Database.FindEverywhereAsync(address));
    }
}
