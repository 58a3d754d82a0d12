using System.Text.Json;
using Orleans.Storage;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>
/// Wraps the PostgreSQL grain storage: the state of a grain that holds a user's personal data
/// (<see cref="IOwnedByUser"/>) is written as a sealed envelope under the owner's data key, never in
/// clear; every other state passes through untouched. A state whose key has been shredded reads as empty.
/// </summary>
public sealed class SealingGrainStorage(IGrainStorage inner, IGrainStorageSerializer serializer, UserDataKeys keys) : IGrainStorage
{
    private const string SealedMarker = "sealed";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!typeof(IOwnedByUser).IsAssignableFrom(typeof(T)))
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
            return;
        }

        var raw = new GrainState<JsonElement>();
        await inner.ReadStateAsync(stateName, grainId, raw);
        grainState.ETag = raw.ETag;
        grainState.RecordExists = raw.RecordExists;
        grainState.State = raw.RecordExists && raw.State.ValueKind == JsonValueKind.Object
            ? await OpenAsync<T>(raw.State) ?? Activator.CreateInstance<T>()
            : Activator.CreateInstance<T>();
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is not IOwnedByUser { OwnerUserId: { } owner })
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var plaintext = serializer.Serialize(grainState.State);
        var envelope = new SealedEnvelope(SealedMarker, owner, Convert.ToBase64String(await keys.SealAsync(owner, plaintext.ToMemory())));
        var wrapped = new GrainState<SealedEnvelope>(envelope) { ETag = grainState.ETag, RecordExists = grainState.RecordExists };
        await inner.WriteStateAsync(stateName, grainId, wrapped);
        grainState.ETag = wrapped.ETag;
        grainState.RecordExists = wrapped.RecordExists;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var raw = new GrainState<JsonElement> { ETag = grainState.ETag, RecordExists = grainState.RecordExists };
        await inner.ClearStateAsync(stateName, grainId, raw);
        grainState.ETag = raw.ETag;
        grainState.RecordExists = raw.RecordExists;
        grainState.State = Activator.CreateInstance<T>();
    }

    private async Task<T?> OpenAsync<T>(JsonElement stored)
    {
        if (!stored.TryGetProperty("Marker", out var marker) || marker.GetString() != SealedMarker)
        {
            // Written in clear (no owner): read as it is.
            return serializer.Deserialize<T>(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(stored)));
        }

        var owner = stored.GetProperty("Owner").GetString()!;
        var opened = await keys.OpenAsync(owner, Convert.FromBase64String(stored.GetProperty("Data").GetString()!));
        return opened is null ? default : serializer.Deserialize<T>(new BinaryData(opened));
    }

    /// <summary>What a sealed state looks like in the database: whose key, and the ciphertext.</summary>
    public sealed record SealedEnvelope(string Marker, string Owner, string Data);
}
