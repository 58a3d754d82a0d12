using MeiLing.Grains.Platform;
using Orleans.Storage;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>Reads a grain's stored state through the silo's own storage (and so its decryption).</summary>
public static class StoredState
{
    public static IGrainStorage Storage(this PlatformFixture platform) =>
        ((InProcessSiloHandle)platform.Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    public static async Task<T> ReadAsync<T>(this PlatformFixture platform, string grainType, string stateName, string key)
        where T : new()
    {
        var state = new GrainState<T>(new T());
        await platform.Storage().ReadStateAsync(stateName, GrainId.Create(grainType, key), state);
        return state.State ?? new T();
    }

    /// <summary>
    /// Changes a grain's stored state behind its back (what a crash or another silo may leave), through the
    /// silo's own storage so it stays sealed; a state not stored yet starts new.
    /// </summary>
    public static async Task ChangeStoredStateAsync<T>(this PlatformFixture platform, IAddressable grain, string stateName, Action<T> change)
        where T : new()
    {
        var state = new GrainState<T>(new T());
        await platform.Storage().ReadStateAsync(stateName, grain.GetGrainId(), state);
        state.State ??= new T();
        change(state.State);
        await platform.Storage().WriteStateAsync(stateName, grain.GetGrainId(), state);
    }
}
