using Orleans.Storage;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Grain storage that does not read the state of a grain whose id the calling request has just minted
/// (<see cref="MintedGrainId"/>): a new order's activation would otherwise spend a PostgreSQL round trip
/// to find no row. It answers "no record" instead. Safe because the first write then carries no
/// version: the storage inserts, and would refuse (a conflict) if a row existed after all.
/// </summary>
public sealed class MintedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!MintedGrainId.IsMarked(grainId.Key.ToString()))
        {
            return inner.ReadStateAsync(stateName, grainId, grainState);
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
