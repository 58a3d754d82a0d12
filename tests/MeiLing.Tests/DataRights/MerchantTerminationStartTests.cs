using System.Text.Json;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Tests.Api;
using MeiLing.Tests.Commerce;
using Orleans.Configuration;
using Orleans.Core.Internal;

namespace MeiLing.Tests.DataRights;

/// <summary>The start of a merchant's termination (P4.3): held by storage once it answers, and told to every customer it has.</summary>
[Collection(TimeTravelCollection.Name)]
public sealed class MerchantTerminationStartTests(TimeTravelFixture platform)
{
    // P4.3 (*reviewer*): a start whose write failed stayed "terminating" in the merchant's activation: the operator's retry
    // heard 409 "already begun", and once the activation went, storage said active, the reminder's tick ended, and nobody
    // was told or erased while the operator believed the closing under way.
    [Fact]
    public async Task P4_3_a_termination_start_whose_write_failed_is_started_by_the_operators_retry_and_held()
    {
        var merchant = await platform.CreateMerchantAsync("Closing Write Fails");
        var path = $"/v1/merchants/{merchant.MerchantId}/termination";

        var failed = await platform.Database.WhileStateWritesRefusedAsync(merchant.MerchantId,
            () => platform.Operator().PostAsJsonAsync(path, new { noticeDays = 30 }));
        var retried = await platform.Operator().PostAsJsonAsync(path, new { noticeDays = 30 });
        await platform.Grains.GetGrain<IMerchantGrain>(merchant.MerchantId).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var seen = await platform.Operator().GetFromJsonAsync<JsonElement>($"/v1/merchants/{merchant.MerchantId}");

        Assert.True((int)failed.StatusCode >= 500, $"{failed.StatusCode}: {await failed.Content.ReadAsStringAsync()}");
        Assert.True(retried.StatusCode == HttpStatusCode.Accepted, await retried.Content.ReadAsStringAsync());
        Assert.Equal("terminating", seen.GetProperty("status").GetString());
    }

    // P4.3 (*reviewer*): while the start's write waited, another silo loading its copy of the merchant read it terminating
    // (reads of the merchant interleave); the write failed, and that copy, never forgotten, refused the merchant's orders and
    // top-ups (409 merchant-closing) for up to a minute, for a merchant storage held active.
    [Fact]
    public async Task P4_3_a_termination_start_whose_write_failed_leaves_no_silo_refusing_the_merchant_as_closing()
    {
        var merchant = await platform.CreateMerchantAsync("Closing Copy Taken");
        var facts = platform.EverySilo.Last().GetRequiredService<SiloFacts>();

        var (failed, copyDuringWrite) = await HeldWrite.WhileHoldingThenRefusingAsync(platform.Database, "orleans_storage",
            $"NEW.grain_id_string = '{merchant.MerchantId}'", async held =>
            {
                var start = platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchant.MerchantId}/termination", new { noticeDays = 30 });
                await held.UntilHeldAsync();
                var copy = await facts.MerchantAsync(merchant.MerchantId);
                await held.ReleaseAsync();
                return (await start, copy);
            });
        var copyAfter = await facts.MerchantAsync(merchant.MerchantId);

        Assert.True((int)failed.StatusCode >= 500, $"{failed.StatusCode}: {await failed.Content.ReadAsStringAsync()}");
        Assert.Equal(MerchantStatus.Terminating, copyDuringWrite?.Status);
        Assert.Equal(MerchantStatus.Active, copyAfter?.Status);
    }

    // P4.3 (*reviewer*): an order or a card checked against a silo's copy of the merchant taken before it started closing
    // (a copy the change's forget did not reach lives up to SiloFacts.Lifetime) was written after the notice walk had passed
    // its place: its customer was never told, and the erasure's last look from the first erased them untold. The notice
    // walk now ends only with a walk begun once no silo can still take a customer on; the one before is walked again then.
    [Fact]
    public async Task P4_3_a_customer_taken_on_as_a_merchant_starts_closing_is_told_by_a_walk_begun_after_the_margin()
    {
        var shop = await platform.OpenShopAsync();
        await shop.PlaceOrderAsync();
        var merchantId = shop.Merchant.MerchantId;
        var elsewhere = await platform.OpenShopAsync();
        var latecomersOrder = (await elsewhere.PlaceOrderAsync()).Id();
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(merchantId);
        var started = await platform.Operator().PostAsJsonAsync($"/v1/merchants/{merchantId}/termination", new { noticeDays = 30 });
        var startedView = (await merchant.Get())!;

        // An order naming a new customer listed with the merchant after the walk read its customers, as a placement checked
        // against a stale copy is written: an order handed over passes no check of the merchant's status.
        var listed = await platform.Grains.GetGrain<IOrderGrain>(latecomersOrder).HandOverToSuccessor(elsewhere.Merchant.MerchantId, merchantId);
        await merchant.CompleteTerminationIfDue();
        var toldBeforeTheMargin = await ClosingNoticesAsync(elsewhere, merchantId);
        platform.Clock.Advance(SiloFacts.Lifetime + new SiloMessagingOptions().ResponseTimeout);
        var afterTheMargin = await merchant.CompleteTerminationIfDue();

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.True(listed);
        Assert.Equal(0, toldBeforeTheMargin);
        Assert.Equal(1, await ClosingNoticesAsync(elsewhere, merchantId));
        // The walk again told nobody twice (one notice per merchant and day), moved no date and gave nobody up.
        Assert.Equal(1, await ClosingNoticesAsync(shop, merchantId));
        Assert.Equal((startedView.TerminationEffectiveAt, (int?)0), (afterTheMargin.TerminationEffectiveAt, afterTheMargin.NoticesGivenUp));
    }

    private static async Task<int> ClosingNoticesAsync(Shop customer, string merchantId) =>
        (await customer.CustomerClient.GetFromJsonAsync<JsonElement>($"/v1/users/{customer.Customer.UserId}/notifications"))
            .GetProperty("items").EnumerateArray()
            .Count(n => n.GetProperty("kind").GetString() == "merchant-termination" && n.GetProperty("merchantId").GetString() == merchantId);
}
