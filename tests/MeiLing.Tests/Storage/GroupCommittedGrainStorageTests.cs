using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using MeiLing.Silo.Extensions;
using Npgsql;
using Orleans.Storage;
using Orleans.TestingHost;

namespace MeiLing.Tests.Storage;

/// <summary>
/// Grain states written through the group commit are the rows the ADO.NET provider writes (it still reads them), and
/// its version checks hold: a stale or a second first write is refused and leaves the stored state as it was.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GroupCommittedGrainStorageTests(PlatformFixture platform)
{
    private IServiceProvider Silo => ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services;

    private IGrainStorage Storage => Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    private IGrainStorage AdoNet => Silo.GetRequiredKeyedService<IGrainStorage>(GrainStorageExtensions.PlainStorage);

    [Fact]
    public async Task A_state_written_in_a_group_is_the_row_the_adonet_provider_writes_and_reads()
    {
        var grainId = GrainId.Create("meiling-test", $"grp_{Guid.NewGuid():N}");
        var grouped = new GrainState<MerchantState>(new MerchantState { Name = "grouped" });
        await Storage.WriteStateAsync("test-state", grainId, grouped);
        var groupedRow = await RowAsync(grainId);

        var read = new GrainState<MerchantState>();
        await AdoNet.ReadStateAsync("test-state", grainId, read);
        Assert.Equal("grouped", read.State?.Name);
        Assert.Equal(grouped.ETag, read.ETag);

        await AdoNet.ClearStateAsync("test-state", grainId, read);
        await AdoNet.WriteStateAsync("test-state", grainId, new GrainState<MerchantState>(new MerchantState { Name = "grouped" }));
        Assert.Equal(groupedRow, await RowAsync(grainId));
    }

    [Fact]
    public async Task A_stale_write_in_a_group_is_refused_and_the_newer_state_stays()
    {
        var grainId = GrainId.Create("meiling-test", $"grp_{Guid.NewGuid():N}");
        var current = new GrainState<MerchantState>(new MerchantState { Name = "v1" });
        await Storage.WriteStateAsync("test-state", grainId, current);
        var stale = new GrainState<MerchantState>(new MerchantState { Name = "stale" }) { ETag = current.ETag, RecordExists = true };
        current.State!.Name = "v2";
        await Storage.WriteStateAsync("test-state", grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("test-state", grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync("test-state", grainId, new GrainState<MerchantState>(new MerchantState { Name = "second first" })));

        var stored = new GrainState<MerchantState>();
        await Storage.ReadStateAsync("test-state", grainId, stored);
        Assert.Equal("v2", stored.State?.Name);
        Assert.Equal("2", stored.ETag);
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_each_land_once()
    {
        var grains = Enumerable.Range(0, 100).Select(_ => GrainId.Create("meiling-test", $"grp_{Guid.NewGuid():N}")).ToList();

        await Task.WhenAll(grains.Select(async grainId =>
        {
            var state = new GrainState<MerchantState>(new MerchantState { Name = "first" });
            await Storage.WriteStateAsync("test-state", grainId, state);
            state.State!.Name = "second";
            await Storage.WriteStateAsync("test-state", grainId, state);
        }));

        foreach (var grainId in grains)
        {
            var stored = new GrainState<MerchantState>();
            await AdoNet.ReadStateAsync("test-state", grainId, stored);
            Assert.Equal(("second", "2"), (stored.State?.Name, stored.ETag));
        }
    }

    [Fact]
    public async Task Rows_written_with_a_state_share_its_unit_and_a_refused_state_takes_them_with_it()
    {
        var grainId = GrainId.Create("meiling-test", $"grp_{Guid.NewGuid():N}");
        var landed = await CompanionIdAsync();
        var state = new GrainState<MerchantState>(new MerchantState { Name = "first" });
        await GroupCommit.WriteWithStateAsync([CompanionRow(landed)], () => Storage.WriteStateAsync("test-state", grainId, state));

        var refused = await CompanionIdAsync();
        var stale = new GrainState<MerchantState>(new MerchantState { Name = "stale" }) { ETag = "7", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            GroupCommit.WriteWithStateAsync([CompanionRow(refused)], () => Storage.WriteStateAsync("test-state", grainId, stale)));

        Assert.Equal(1, await CompanionCountAsync(landed));
        Assert.Equal(0, await CompanionCountAsync(refused));
    }

    [Fact]
    public async Task Rows_written_with_a_state_the_group_commit_does_not_write_follow_it()
    {
        var grainId = GrainId.Create(GrainType.Create("meiling-test"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid()));
        var companion = await CompanionIdAsync();

        await GroupCommit.WriteWithStateAsync(
            [CompanionRow(companion)], () => Storage.WriteStateAsync("test-state", grainId, new GrainState<MerchantState>(new MerchantState { Name = "guid" })));

        Assert.Equal(1, await CompanionCountAsync(companion));
    }

    private GroupCommit GroupCommit => Silo.GetRequiredService<GroupCommit>();

    private async Task<string> CompanionIdAsync()
    {
        await platform.Database.ScalarAsync<int>("CREATE TABLE IF NOT EXISTS test_companion_rows (id text PRIMARY KEY)");
        return $"row_{Guid.NewGuid():N}";
    }

    private static NpgsqlBatchCommand CompanionRow(string id) =>
        new("INSERT INTO test_companion_rows (id) VALUES ($1)") { Parameters = { new() { Value = id } } };

    private Task<long> CompanionCountAsync(string id) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM test_companion_rows WHERE id = $1", id);

    private Task<string?> RowAsync(GrainId grainId) =>
        platform.Database.ScalarAsync<string>(
            "SELECT concat_ws('|', grain_type, grain_id_n0, grain_id_n1, grain_type_hash, grain_id_hash, encode(payload, 'escape'), version) FROM orleans_storage WHERE grain_id_string = $1",
            grainId.Key.ToString()!);
}
