using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Tests.Commerce;
using Orleans.Core.Internal;

namespace MeiLing.Tests.DataRights;

[Collection(FailoverCollection.Name)]
public sealed class CrashRecoveryTests(FailoverFixture platform)
{
    [Fact]
    public async Task P4_1_P8_1_a_cancellation_interrupted_by_a_killed_silo_still_completes_exactly_once()
    {
        var shop = await platform.OpenShopAsync();
        for (var i = 0; i < 40; i++)
        {
            await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        }

        var view = await shop.CustomerClient.FileRequestAsync(shop.Customer.UserId, new { type = "cancellation" });
        var request = platform.Grains.GetGrain<IDataRightsRequestGrain>(view.RequestId());
        await WaitForFirstStepAsync(request);

        // Kill the silo running the request if it is not the primary (which hosts the test cluster's
        // membership); otherwise deactivate the request mid-way and kill another silo under it.
        var host = await platform.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(request);
        var victim = platform.Cluster.SecondarySilos.FirstOrDefault(silo => silo.SiloAddress.Equals(host));
        if (victim is null)
        {
            await request.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            victim = platform.Cluster.SecondarySilos[0];
        }

        await platform.Cluster.KillSiloAsync(victim);
        var support = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent Crash", "support")).ApiKey);
        var done = await support.WaitUntilDoneAsync(view.RequestId(), seconds: 120);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("receipt").GetProperty("verified").GetBoolean());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM order_index WHERE user_id = $1", shop.Customer.UserId));
        var steps = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(action, ',' ORDER BY sequence) FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'cancellation:%'",
            shop.Customer.UserId);
        Assert.Equal(
            string.Join(',', ["cancellation:received", .. ErasureSteps.CancellationPlan.Select(step => $"cancellation:{step}"), "cancellation:completed"]),
            steps);
    }

    private static async Task WaitForFirstStepAsync(IDataRightsRequestGrain request)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if ((await request.Get())?.Progress?.StepsDone >= 1)
            {
                return;
            }

            await Task.Delay(20);
        }
    }
}
