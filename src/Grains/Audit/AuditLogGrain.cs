using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Audit;

/// <summary>
/// One activation writes the whole chain, so entries have one order: each entry's hash is
/// SHA-256(previous hash ‖ canonical JSON of the entry), starting from a fixed genesis value.
/// </summary>
internal sealed class AuditLogGrain(NpgsqlDataSource dataSource, TimeProvider clock) : Grain, IAuditLogGrain
{
    private const string Genesis = "meiling-audit-genesis";

    private long _lastSequence;
    private string _lastHash = Genesis;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => ReadHeadAsync(cancellationToken);

    async Task<AuditRecord> IAuditLogGrain.Append(AuditEntry entry)
    {
        try
        {
            return await AppendAfterHeadAsync(entry);
        }
        catch (PostgresException taken) when (taken.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another activation appended since this one read the head: one on a silo that was being declared
            // dead, or this one's own insert that committed although its answer was lost. Without reading the
            // head again every later entry would collide the same way, and every audited action would stop.
            await ReadHeadAsync(CancellationToken.None);
            return await AppendAfterHeadAsync(entry);
        }
    }

    private async Task ReadHeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            _lastSequence = reader.GetInt64(0);
            _lastHash = reader.GetString(1);
        }
    }

    private async Task<AuditRecord> AppendAfterHeadAsync(AuditEntry entry)
    {
        var sequence = _lastSequence + 1;
        var at = PostgresTime.AsStored(clock.GetUtcNow());
        var hash = Chain(_lastHash, sequence, at, entry);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO audit_log (sequence, at, actor_role, actor_id, action, subject_user_id, detail, previous_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """);
        command.Parameters.Add(new() { Value = sequence });
        command.Parameters.Add(new() { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = entry.ActorRole });
        command.Parameters.Add(new() { Value = entry.ActorId });
        command.Parameters.Add(new() { Value = entry.Action });
        command.Parameters.Add(new() { Value = (object?)entry.SubjectUserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)entry.Detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = _lastHash });
        command.Parameters.Add(new() { Value = hash });
        await command.ExecuteNonQueryAsync();
        _lastSequence = sequence;
        _lastHash = hash;
        return new AuditRecord(sequence, at, entry, hash);
    }

    async Task<IReadOnlyList<AuditRecord>> IAuditLogGrain.About(string userId, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, at, actor_role, actor_id, action, subject_user_id, detail, hash
              FROM audit_log WHERE subject_user_id = $1 ORDER BY sequence LIMIT $2
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = Math.Clamp(limit, 1, 10_000) });
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    async Task<AuditVerification> IAuditLogGrain.Verify()
    {
        // The head first: entries appended while the chain is walked come after it, so the walk still
        // passes the head unless entries up to it were cut off.
        var head = await ReadAnchorAsync();
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, at, actor_role, actor_id, action, subject_user_id, detail, hash FROM audit_log ORDER BY sequence
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var previous = Genesis;
        long expected = 1;
        long checkedCount = 0;
        var headReached = head is { Sequence: 0, Hash: Genesis };
        while (await reader.ReadAsync())
        {
            var record = ReadRecord(reader);
            checkedCount++;
            if (record.Sequence != expected || record.Hash != Chain(previous, record.Sequence, record.At, record.Entry))
            {
                return new AuditVerification(checkedCount, false, expected);
            }

            headReached |= head is { } anchor && anchor.Sequence == record.Sequence && anchor.Hash == record.Hash;
            previous = record.Hash;
            expected++;
        }

        // P8.1: the newest entries removed (or rewritten and chained again) leave a chain that is intact as
        // far as it goes; the head says how far it went, and what its last entry was.
        return headReached
            ? new AuditVerification(checkedCount, true, null)
            : new AuditVerification(checkedCount, false, head is { } missed ? Math.Min(expected, missed.Sequence) : expected);
    }

    private async Task<(long Sequence, string Hash)?> ReadAnchorAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT sequence, hash FROM audit_log_head");
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static AuditRecord ReadRecord(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetFieldValue<DateTimeOffset>(1),
        new AuditEntry(reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)),
        reader.GetString(7));

    internal static string Chain(string previousHash, long sequence, DateTimeOffset at, AuditEntry entry)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            sequence, at.UtcTicks, entry.ActorRole, entry.ActorId, entry.Action, entry.SubjectUserId, entry.Detail,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + "\n" + canonical)));
    }
}
