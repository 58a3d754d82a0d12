using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>
/// Wraps the PostgreSQL grain storage: the state of a grain that holds a user's personal data
/// (<see cref="IOwnedByUser"/>) is written as a sealed envelope under the owner's data key, bound to its
/// state name and grain, never in clear; every other state passes through untouched. A state whose key has
/// been shredded reads as empty (P4.1). A stored state that is not what this storage wrote for that grain —
/// sealed for another grain, tampered with, or an owned state in clear — is refused: the read throws and
/// the grain does not activate, rather than starting from an empty state (a reset balance).
/// </summary>
public sealed partial class SealingGrainStorage(
    IGrainStorage inner, IGrainStorageSerializer serializer, UserDataKeys keys, ILogger<SealingGrainStorage> logger) : IGrainStorage
{
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
            ? await OpenAsync<T>(stateName, grainId, raw.State) ?? Activator.CreateInstance<T>()
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
        var context = SealedEnvelope.Context(SealedEnvelope.Current, stateName, grainId, owner);
        var envelope = new SealedEnvelope(
            SealedEnvelope.SealedMarker, owner, Convert.ToBase64String(await keys.SealAsync(owner, plaintext.ToMemory(), context)));
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

    private async Task<T?> OpenAsync<T>(string stateName, GrainId grainId, JsonElement stored)
    {
        if (!SealedEnvelope.IsSealed(stored))
        {
            // Only a state without an owner (anonymized, redacted, never a user's) is written in clear: an
            // owned one found in clear was put there by someone else, and its contents cannot be trusted.
            var clear = serializer.Deserialize<T>(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(stored)));
            return clear is IOwnedByUser { OwnerUserId: not null } ? throw Refuse(stateName, grainId, "an owned state in clear") : clear;
        }

        byte[]? opened;
        try
        {
            var envelope = SealedEnvelope.Parse(stored);
            var context = SealedEnvelope.Context(envelope.V, stateName, grainId, envelope.Owner);
            opened = await keys.OpenAsync(envelope.Owner, Convert.FromBase64String(envelope.Data), context);
        }
        catch (Exception failure) when (failure is CryptographicException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw Refuse(stateName, grainId, failure is CryptographicException ? "a seal that does not open for this grain, or a key that does not unwrap" : "a malformed envelope");
        }

        // No key any more: the owner's account was cancelled and the key shredded (P4.1).
        return opened is null ? default : serializer.Deserialize<T>(new BinaryData(opened));
    }

    // Orleans' own "the stored state is not what the grain may use": the activation fails, and the API
    // answers 503 as for any storage fault, so a caller learns nothing about the row.
    private InconsistentStateException Refuse(string stateName, GrainId grainId, string reason)
    {
        // Ids and the kind of fault only: never the payload, which may be someone's sealed or clear data.
        LogRefused(stateName, grainId.Type.ToString()!, grainId.ToString(), reason);
        return new InconsistentStateException($"Stored state '{stateName}' was refused: {reason}.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused stored state '{StateName}' of {GrainType} {GrainId}: {Reason}; the grain does not activate")]
    private partial void LogRefused(string stateName, string grainType, string grainId, string reason);
}
