using MeiLing.Grains.Platform;
using Orleans.Runtime;
using Orleans.Storage;

namespace MeiLing.Tests.Unit.Platform;

public sealed class MintedGrainStorageTests
{
    private static readonly GrainId Order = GrainId.Create("order", EntityId.New(EntityId.OrderPrefix));

    [Fact]
    public async Task A_grain_created_under_an_id_the_call_minted_is_not_read()
    {
        var inner = new CountingStorage();
        var state = new GrainState<Dictionary<string, int>> { State = new() { ["stale"] = 1 }, ETag = "7", RecordExists = true };

        using (MintedGrainId.Mark(Order.Key.ToString()))
        {
            await new MintedGrainStorage(inner).ReadStateAsync("order", Order, state);
        }

        Assert.Equal(0, inner.Reads);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag); // the first write inserts, and fails on a row that exists after all
        Assert.Empty(state.State);
    }

    [Fact]
    public async Task Any_other_grain_is_read_even_while_a_minted_id_is_carried()
    {
        var inner = new CountingStorage();
        var storage = new MintedGrainStorage(inner);

        await storage.ReadStateAsync("order", Order, new GrainState<Dictionary<string, int>>());
        using (MintedGrainId.Mark(EntityId.New(EntityId.OrderPrefix)))
        {
            await storage.ReadStateAsync("order", Order, new GrainState<Dictionary<string, int>>());
        }

        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task The_mark_ends_with_its_scope()
    {
        var inner = new CountingStorage();
        using (MintedGrainId.Mark(Order.Key.ToString()))
        {
        }

        await new MintedGrainStorage(inner).ReadStateAsync("order", Order, new GrainState<Dictionary<string, int>>());

        Assert.Equal(1, inner.Reads);
    }

    private sealed class CountingStorage : IGrainStorage
    {
        public int Reads { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Reads++;
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
