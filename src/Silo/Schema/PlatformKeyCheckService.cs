using System.Security.Cryptography;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Users;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Silo.Schema;

/// <summary>
/// Refuses to start a silo whose master keys or phone-hash key differ from the ones the cluster's data was written with
/// (P4.1, P4.4). Such a silo wrapped new users' data keys under a key no other silo holds (503 everywhere else, and the
/// data unreadable for good once the silo was fixed), re-wrapped every stored key under its own copy during a rotation,
/// or indexed phones under other hashes (a number registered twice). Runs after the schema is migrated and before Orleans
/// starts (hosted services start in order), so before the silo serves and before <see cref="MasterKeyRotationService"/>.
/// </summary>
/// <remarks>
/// <c>platform_key_checks</c> keeps one check value per key: an HMAC of a fixed label under the key, which tells two keys
/// apart without revealing either. The first silo that runs with a key records it; every later start compares. One
/// round trip: the record, the read-back, and the master-key ids in use in <c>user_data_keys</c> (a loose index scan,
/// one probe per id, however many users).
/// </remarks>
internal sealed partial class PlatformKeyCheckService(
    NpgsqlDataSource dataSource, MasterKeyRing ring, PhoneHasher phoneHasher, ILogger<PlatformKeyCheckService> logger) : IHostedService
{
    /// <summary>The row of the phone-hash key.</summary>
    public const string PhoneHashKeyName = "phone-hash-key";

    // Hashed as PhoneHasher hashes a number: never a normalized number itself (those are digits), so never an index key.
    private const string PhoneHashCheckLabel = "meiling/key-check/v1/phone-hash-key";

    private const string MasterKeyNamePrefix = "master-key:";

    // Each id in use with one of its rows: min() then the next id above it, each one probe of ix_user_data_keys_master.
    private const string UsedMasterKeysSql = """
        WITH RECURSIVE used (id) AS (
            (SELECT master_key_id FROM user_data_keys ORDER BY master_key_id LIMIT 1)
            UNION ALL
            SELECT (SELECT master_key_id FROM user_data_keys WHERE master_key_id > used.id ORDER BY master_key_id LIMIT 1)
              FROM used WHERE used.id IS NOT NULL
        )
        SELECT used.id, sample.user_id, sample.wrapped_key
          FROM used
          CROSS JOIN LATERAL (SELECT user_id, wrapped_key FROM user_data_keys WHERE master_key_id = used.id LIMIT 1) AS sample
        """;

    private readonly TaskCompletionSource _passed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this silo's keys are found to be the cluster's: what re-wraps stored keys waits for it.</summary>
    public Task Passed => _passed.Task;

    /// <summary>The row of a master key.</summary>
    public static string MasterKeyName(string masterKeyId) => MasterKeyNamePrefix + masterKeyId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var own = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var id in ring.KeyIds)
        {
            own[MasterKeyName(id)] = ring.CheckValue(id)!;
        }

        own[PhoneHashKeyName] = Convert.FromHexString(phoneHasher.IndexKey(PhoneHashCheckLabel));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One transaction: a refused silo records nothing, so a wrong key of a new id is not left for the right ones to meet.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var record = new NpgsqlBatchCommand("""
            INSERT INTO platform_key_checks (key_name, check_value)
            SELECT * FROM unnest($1::text[], $2::bytea[])
            ON CONFLICT (key_name) DO NOTHING
            RETURNING key_name
            """);
        record.Parameters.Add(new() { Value = own.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        record.Parameters.Add(new() { Value = own.Values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        // Its own statement, so it sees what another silo starting at the same moment recorded (read committed).
        var readBack = new NpgsqlBatchCommand("SELECT key_name, check_value, created_at FROM platform_key_checks WHERE key_name = ANY($1)");
        readBack.Parameters.Add(new() { Value = own.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(record);
        batch.BatchCommands.Add(readBack);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(UsedMasterKeysSql));

        var recordedNow = new HashSet<string>(StringComparer.Ordinal);
        var recorded = new Dictionary<string, (byte[] Value, DateTime At)>(StringComparer.Ordinal);
        var used = new List<(string Id, string UserId, byte[] Wrapped)>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recordedNow.Add(reader.GetString(0));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded[reader.GetString(0)] = (reader.GetFieldValue<byte[]>(1), reader.GetDateTime(2));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                used.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
            }
        }

        var problems = Problems(own, recorded, recordedNow, used);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "This silo's keys are not the cluster's; it refuses to start (P4.1, P4.4). " + string.Join(" ", problems));
        }

        await transaction.CommitAsync(cancellationToken);
        _passed.TrySetResult();
        LogKeysMatch(recordedNow.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private List<string> Problems(
        Dictionary<string, byte[]> own,
        Dictionary<string, (byte[] Value, DateTime At)> recorded,
        HashSet<string> recordedNow,
        List<(string Id, string UserId, byte[] Wrapped)> used)
    {
        const string MasterKeys = "MEILING_MASTER_KEYS (or MEILING_MASTER_KEYS_FILE)";
        var problems = new List<string>();
        // P4.1: a data key under an id the ring lacks cannot be unwrapped here, so its user's data would be refused (503).
        foreach (var (id, _, _) in used.Where(row => !ring.KeyIds.Contains(row.Id)))
        {
            problems.Add(
                $"{MasterKeys} lacks the master key '{id}', under which users' data keys are stored: their data would be unreadable on this silo. Add the cluster's key '{id}' to the ring (after the current key).");
        }

        foreach (var (name, value) in own)
        {
            // Recorded by this silo's own insert or by another silo, committed: always found once the insert ran.
            var (expected, at) = recorded[name];
            if (CryptographicOperations.FixedTimeEquals(expected, value))
            {
                continue;
            }

            problems.Add(name == PhoneHashKeyName
                ? $"MEILING_PHONE_HASH_KEY differs from the one the cluster's data was written with (its check value, recorded {at:u} by the first silo that ran with it, does not match): phone numbers would be indexed under other hashes, and a number registered twice. Give this silo the cluster's MEILING_PHONE_HASH_KEY."
                : $"{MasterKeys}: the master key '{name[MasterKeyNamePrefix.Length..]}' differs from the one the cluster's data was written with (its check value, recorded {at:u} by the first silo that ran with it, does not match): data keys wrapped or re-wrapped under it here could not be opened by any other silo. Give this silo the cluster's key '{name[MasterKeyNamePrefix.Length..]}'.");
        }

        // A key recorded only now, whose id already wraps stored data keys (a cluster from before the checks were kept, or
        // rows written before the first silo with the id recorded it): one of those rows must open under it, or the first
        // silo to start would record a wrong key and refuse every right one.
        foreach (var (id, userId, wrapped) in used.Where(row => recordedNow.Contains(MasterKeyName(row.Id))))
        {
            try
            {
                ring.Unwrap(id, wrapped, userId);
            }
            catch (CryptographicException)
            {
                problems.Add(
                    $"{MasterKeys}: the master key '{id}' does not open the data keys stored under '{id}': it differs from the one the cluster's data was written with. Give this silo the cluster's key '{id}'.");
            }
        }

        return problems;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This silo's master keys and phone-hash key are the cluster's ({Recorded} recorded now)")]
    private partial void LogKeysMatch(int recorded);
}
