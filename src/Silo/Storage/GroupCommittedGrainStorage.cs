using System.Globalization;
using System.Text;
using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Storage;

namespace MeiLing.Silo.Storage;

/// <summary>
/// Writes grain states through <see cref="GroupCommit"/>: the states that grains write at the same moment go to
/// PostgreSQL in one transaction, each grain answered once its own row is durable. The row, its version check and
/// its columns are exactly those of the ADO.NET provider underneath (same table, same hashes, same serializer, read from its own options), which
/// still reads and clears every state; grains keyed by a GUID or an integer are written by it as before.
/// </summary>
/// <remarks>
/// A write without an ETag inserts and finds a row already there a conflict; a write with one updates only that
/// version. Either refusal is Orleans' <see cref="InconsistentStateException"/>, as from the ADO.NET provider.
/// Rows handed over with <see cref="GroupCommit.WriteWithStateAsync"/> join the state's unit, and a refusal fails them too.
/// </remarks>
public sealed class GroupCommittedGrainStorage(
    IGrainStorage adoNet, string adoNetName, AdoNetGrainStorageOptions adoNetOptions, GroupCommit groupCommit, string serviceId) : IGrainStorage
{

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        adoNet.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        adoNet.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainId.TryGetGuidKey(out _, out _) || grainId.TryGetIntegerKey(out _, out _))
        {
            await adoNet.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var key = grainId.Key.ToString()!;
        var payload = adoNetOptions.GrainStorageSerializer.Serialize(grainState.State).ToArray();
        int? version = string.IsNullOrWhiteSpace(grainState.ETag) ? null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var write = version is { } current
            ? Update(stateName, key, payload, current)
            : Insert(stateName, key, payload, adoNetOptions.HashPicker.PickHasher(serviceId, adoNetName, stateName, grainId, grainState)!);

        try
        {
            await groupCommit.WriteAsync([write, .. GroupCommit.TakeCompanionRows()]);
        }
        catch (PostgresException conflict) when (conflict.SqlState == StateNotWritten)
        {
            throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={serviceId} GrainType={stateName} GrainId={key} ETag={grainState.ETag}.");
        }

        grainState.ETag = ((version ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    // Raised by meiling_expect_state_written (migration 0038) when the version check found no row: the unit fails, so
    // rows written with the state (GroupCommit.WriteWithStateAsync) do not land without it.
    private const string StateNotWritten = "MLV01";

    // The hashes as the ADO.NET provider computes them: a string key's UTF-8 bytes, reversed on a little-endian machine.
    private NpgsqlBatchCommand Insert(string stateName, string key, byte[] payload, IHasher hasher)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(keyBytes);
        }

        var insert = new NpgsqlBatchCommand("""
            WITH written AS (
                INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string, grain_type_hash, grain_id_hash, payload, version)
                VALUES ($1, $2, 0, 0, $3, $4, $5, $6, 1)
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT meiling_expect_state_written(count(*)) FROM written
            """);
        insert.Parameters.Add(new() { Value = serviceId });
        insert.Parameters.Add(new() { Value = stateName });
        insert.Parameters.Add(new() { Value = key });
        insert.Parameters.Add(new() { Value = hasher.Hash(Encoding.UTF8.GetBytes(stateName)) });
        insert.Parameters.Add(new() { Value = hasher.Hash(keyBytes) });
        insert.Parameters.Add(new() { Value = payload, NpgsqlDbType = NpgsqlDbType.Bytea });
        return insert;
    }

    private NpgsqlBatchCommand Update(string stateName, string key, byte[] payload, int version)
    {
        var update = new NpgsqlBatchCommand("""
            WITH written AS (
                UPDATE orleans_storage SET payload = $1, modified_at = now(), version = version + 1
                 WHERE service_id = $2 AND grain_type = $3 AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND grain_id_string = $4 AND version = $5
                RETURNING 1)
            SELECT meiling_expect_state_written(count(*)) FROM written
            """);
        update.Parameters.Add(new() { Value = payload, NpgsqlDbType = NpgsqlDbType.Bytea });
        update.Parameters.Add(new() { Value = serviceId });
        update.Parameters.Add(new() { Value = stateName });
        update.Parameters.Add(new() { Value = key });
        update.Parameters.Add(new() { Value = version });
        return update;
    }
}
