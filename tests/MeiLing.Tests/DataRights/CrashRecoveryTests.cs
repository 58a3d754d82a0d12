using MeiLing.Grains.DataRights;
using MeiLing.Grains.Users;
using MeiLing.Tests.Commerce;
using Npgsql;
using Orleans.Runtime.Placement;

namespace MeiLing.Tests.DataRights;

[Collection(FailoverCollection.Name)]
public sealed class CrashRecoveryTests(FailoverFixture platform)
{
    [Fact]
    public async Task P4_1_P8_1_a_cancellation_interrupted_by_a_killed_silo_still_completes_exactly_once()
    {
        var shop = await platform.OpenShopAsync();
        for (var i = 0; i < 10; i++)
        {
            await shop.PlaceOrderAsync(CommerceApiClient.SampleDelivery(), teas: 1, cakes: 0);
        }

        var support = platform.Client((await Api.PlatformApiExtensions.EnrolStaffAsync(platform, "Agent Crash", "support")).ApiKey);
        var victim = platform.Cluster.SecondarySilos[0];

        // The erasure of location samples waits on this lock, so the request stops there, half done, however
        // fast or slow the machine is, until the silo running it has been killed.
        await using var connection = await platform.Database.DataSource.OpenConnectionAsync();
        await using var hold = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE user_location_samples IN ACCESS EXCLUSIVE MODE", connection, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var request = platform.Grains.GetGrain<IDataRightsRequestGrain>((await FileOnAsync(victim.SiloAddress, shop.Customer.UserId)).RequestId);
        var interrupted = await WaitForStepAsync(request, new RequestStep.Erase(ErasureTarget.Locations).Name);
        var host = await platform.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(request);
        await platform.Cluster.KillSiloAsync(victim);
        await hold.RollbackAsync();
        var done = await support.WaitUntilDoneAsync(request.GetPrimaryKeyString(), seconds: 120);

        Assert.Equal(victim.SiloAddress, host);
        Assert.Equal(DataRightsRequestStatus.InProgress, interrupted.Status);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("receipt").GetProperty("verified").GetBoolean());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM order_index WHERE merchant_id = $1 AND (user_ref IS NOT NULL OR sealed_user_id IS NOT NULL OR user_id IS NOT NULL)",
            shop.Merchant.MerchantId));
        var steps = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(action, ',' ORDER BY sequence) FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'cancellation:%'",
            shop.Customer.UserId);
        Assert.Equal(
            string.Join(',', ["cancellation:received", .. RequestPlans.Cancellation.Select(step => $"cancellation:{step.Name}"), "cancellation:completed"]),
            steps);
    }

    // The primary silo keeps the test cluster's membership and cannot be killed: a placement hint, carried
    // by the call that files the request, puts the new request on the silo the test will kill.
    private async Task<DataRightsRequestView> FileOnAsync(SiloAddress silo, string userId)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await platform.Grains.GetGrain<IUserDataRights>(userId).FileRequest(
                new FileDataRightsRequest(DataRightsRequestType.Cancellation, RequestDetails.None, "user", userId, null, null));
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    private static async Task<DataRightsRequestView> WaitForStepAsync(IDataRightsRequestGrain request, string step)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        DataRightsRequestView? view;
        do
        {
            view = await request.Get();
            if (view?.Progress?.CurrentStep == step)
            {
                return view;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"The request never reached {step}: {view?.Status}, at {view?.Progress?.CurrentStep}.");
        return view!;
    }
}
