using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using Npgsql;

namespace MeiLing.Tests.DataRights;

/// <summary>
/// A user's first member card is opened in the user's own turn: a cancellation filed while a first top-up is past its gate
/// but its card not yet listed waits for the listing, so it tells the merchant and settles the card. Opened beside the
/// user's grain, the card could be listed after the cancellation had looked, and the merchant would keep the user's money
/// and id, never told to erase them.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CardDuringCancellationTests(PlatformFixture platform)
{
    [Fact]
    public async Task P3_1_P4_1_a_first_top_up_past_its_gate_when_the_account_is_cancelled_is_listed_first_and_its_merchant_told_and_settled()
    {
        var shop = await platform.OpenShopAsync();
        var (merchantId, userId) = (shop.Merchant.MerchantId, shop.Customer.UserId);

        // Another transaction holds the card's index row: the top-up passes its gate, then its listing waits on the lock.
        await using var blocker = await platform.Database.DataSource.OpenConnectionAsync();
        await using var holding = await blocker.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("INSERT INTO member_card_index (merchant_id, user_id) VALUES ($1, $2)", blocker, holding))
        {
            hold.Parameters.Add(new() { Value = merchantId });
            hold.Parameters.Add(new() { Value = userId });
            await hold.ExecuteNonQueryAsync();
        }

        var topUp = shop.MerchantClient.PostAsJsonAsync($"/v1/merchants/{merchantId}/member-cards/{userId}/top-ups", new { amountFen = 500 });
        await Polling.UntilAsync(async () => await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%member_card_index%'") >= 1);

        // The cancellation is filed with the user's grain, which is still in the card's opening: it waits there.
        var filing = shop.CustomerClient.FileRequestAsync(userId, new { type = "cancellation" });
        await Polling.UntilAsync(() => Task.FromResult(platform.HasCallWaiting(platform.Grains.GetGrain<IUserGrain>(userId))));
        Assert.False(filing.IsCompleted);

        await holding.RollbackAsync();
        var toppedUp = await topUp.WaitAsync(TimeSpan.FromSeconds(30));
        var request = await filing.WaitAsync(TimeSpan.FromSeconds(30));
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Card Race", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync(request.RequestId());

        Assert.Equal(HttpStatusCode.OK, toppedUp.StatusCode);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("receipt").GetProperty("erased").GetProperty("settle-member-cards").GetInt32());
        Assert.Contains(merchantId, (await platform.Grains.GetGrain<IRequestRecipientsGrain>(0).Of(request.RequestId())).Select(r => r.Recipient));
        Assert.False((await platform.Grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId)).GetSettlementDue()).Exists);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM member_card_index WHERE user_id = $1", userId));
    }
}
