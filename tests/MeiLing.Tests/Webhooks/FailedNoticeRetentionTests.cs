using MeiLing.Grains.DataRights;
using MeiLing.Grains.Retention;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Webhooks;

/// <summary>
/// A failed notice of a user's right is the only copy support's re-send can send: the outbox's retention keeps it while
/// its recipient was never told since (P3.1), and erases it once the recipient no longer waits for it (P4.1).
/// </summary>
[Collection(TimeTravelCollection.Name)]
public sealed class FailedNoticeRetentionTests(TimeTravelFixture platform)
{
    // P3.1, P4.1: the outbox's retention erased a failed notice 30 days after its last try while its recipient was still
    // untold: the request stayed on support's chase list for good and every re-send was 409 notice-expired.
    [Fact]
    public async Task P3_1_a_failed_notice_never_told_since_outlives_the_outboxs_retention_and_support_still_resends_it()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, requestId) = await platform.CorrectionWhoseNoticeFailedAsync(receiver, "7-701");
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Late Redelivery", "support")).ApiKey);

        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();
        receiver.ComeBack();
        var redelivered = await support.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/redelivery", null);
        var received = await receiver.WaitForAsync(r => r.Endpoint == shop.Merchant.MerchantId && r.Answered == 200);

        Assert.True(redelivered.StatusCode == HttpStatusCode.OK, await redelivered.Content.ReadAsStringAsync());
        Assert.True(received.Verified);
        Assert.Equal("customer.updated", received.Type);
    }

    // P4.1: kept for the re-send, but not for good: a partner is never closed, nor a merchant that removed its endpoint and
    // stays open, and the notice names the user.
    [Fact]
    public async Task P4_1_a_failed_notice_never_told_is_erased_a_year_after_it_failed_and_a_re_send_is_then_notice_expired()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, requestId) = await platform.CorrectionWhoseNoticeFailedAsync(receiver, "8-801");
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Year Later", "support")).ApiKey);
        var eventId = await platform.Database.ScalarAsync<string>(
            "SELECT event_id FROM request_recipients WHERE request_id = $1 AND recipient = $2", requestId, shop.Merchant.MerchantId) ?? "";

        platform.Clock.Advance(TimeSpan.FromDays(366));
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();
        var redelivered = await support.PostAsync($"/v1/requests/{requestId}/recipients/{shop.Merchant.MerchantId}/redelivery", null);

        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE event_id = $1", eventId));
        Assert.EndsWith("/notice-expired", (await redelivered.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
    }

    // P4.1: a notice kept for support's re-send outlived the user: once the account closed, nobody could chase or re-send it
    // (the rows naming its user are gone) and the cancellation told every recipient to erase the user anyway, yet the
    // notice, naming the user, stayed a year.
    [Fact]
    public async Task P4_1_a_closed_accounts_failed_withdrawal_notice_leaves_the_outbox_with_the_retention_period()
    {
        await using var receiver = await WebhookReceiver.StartDownAsync();
        var (shop, receiptId, _) = await platform.WithdrawalTellingTheMerchantAsync(receiver, "failed");
        var eventId = await platform.Database.ScalarAsync<string>(
            "SELECT event_id FROM request_recipients WHERE request_id = $1 AND recipient = $2", receiptId, shop.Merchant.MerchantId) ?? "";
        var cancellation = (await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" })).RequestId();
        Assert.Equal(DataRightsRequestStatus.Completed, (await platform.Grains.GetGrain<IDataRightsRequestGrain>(cancellation).Drive()).Status);

        platform.Clock.Advance(TimeSpan.FromDays(31));
        await platform.Grains.GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).Sweep();

        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE event_id = $1", eventId));
    }
}
