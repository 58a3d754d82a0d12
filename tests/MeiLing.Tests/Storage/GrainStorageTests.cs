using MeiLing.Grains.Access;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using Orleans.Storage;
using Orleans.TestingHost;

namespace MeiLing.Tests.Storage;

[Collection(PlatformCollection.Name)]
public sealed class GrainStorageTests(PlatformFixture platform)
{
    private IGrainStorage Storage =>
        ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    [Fact]
    public async Task Merchant_state_survives_deactivation()
    {
        var merchantId = EntityId.New(EntityId.MerchantPrefix);
        var merchant = platform.Grains.GetGrain<IMerchantGrain>(merchantId);
        await merchant.Open(new OpenMerchant("Survivor Tea", "CN"));

        await merchant.EndActivationAsync();
        var reread = await merchant.Get();

        Assert.Equal("Survivor Tea", reread?.Name);
    }

    [Fact]
    public async Task State_is_stored_as_plain_json_in_postgresql()
    {
        var merchantId = EntityId.New(EntityId.MerchantPrefix);
        await platform.Grains.GetGrain<IMerchantGrain>(merchantId).Open(new OpenMerchant("Json Noodles", "CN"));

        var payload = await platform.Database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_storage WHERE grain_id_string = $1", merchantId);

        Assert.NotNull(payload);
        Assert.Contains("\"Name\":\"Json Noodles\"", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_with_a_stale_version_is_refused()
    {
        var grainId = GrainId.Create("meiling-test", Guid.NewGuid().ToString("N"));
        var current = new MerchantState { Name = "v1" };
        var first = new GrainState<MerchantState>(current);
        await Storage.WriteStateAsync("test-state", grainId, first);
        var stale = new GrainState<MerchantState>(new MerchantState { Name = "stale" }) { ETag = first.ETag, RecordExists = true };
        current.Name = "v2";
        await Storage.WriteStateAsync("test-state", grainId, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("test-state", grainId, stale));

        var stored = new GrainState<MerchantState>();
        await Storage.ReadStateAsync("test-state", grainId, stored);
        Assert.Equal("v2", stored.State?.Name);
    }

    [Fact]
    public async Task A_second_first_write_of_the_same_grain_is_refused()
    {
        var grainId = GrainId.Create("meiling-test", Guid.NewGuid().ToString("N"));
        await Storage.WriteStateAsync("test-state", grainId, new GrainState<MerchantState>(new MerchantState { Name = "winner" }));

        var late = new GrainState<MerchantState>(new MerchantState { Name = "late" });

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("test-state", grainId, late));
    }

    [Fact]
    public async Task A_cleared_grain_leaves_no_row()
    {
        var issued = await ApiKeys.IssueAsync(platform.Grains, CallerRole.Support, "stf_cleared", DateTimeOffset.UtcNow);
        var hash = ApiKeys.Hash(issued.ApiKey);
        Assert.Equal(1L, await CountRows(hash));

        await platform.Grains.GetGrain<IApiKeyGrain>(hash).Revoke();

        Assert.Equal(0L, await CountRows(hash));
        Assert.Null(await platform.Grains.GetGrain<IApiKeyGrain>(hash).Resolve());
    }

    private Task<long> CountRows(string grainKey) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM orleans_storage WHERE grain_id_string = $1", grainKey);
}
