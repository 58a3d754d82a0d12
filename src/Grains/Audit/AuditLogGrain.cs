using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Users;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Audit;

/// <summary>
/// Appends to and reads the hash chain: each entry's hash is SHA-256(previous hash ‖ canonical JSON of the entry),
/// starting from a fixed genesis value. The chain's order is kept by the database, not by one activation: an append
/// takes a transaction lock, reads the newest entry, and inserts the next one in the same transaction, so any
/// number of workers on any silo append without a support call or a request step waiting on a single grain. The chain is
/// not walked here (P8.1): a walk of the whole log on one of these workers kept appends waiting behind it, so
/// <see cref="AuditChainWatchGrain"/> walks it, a page at a time, straight from the database.
/// </summary>
[StatelessWorker]
internal sealed class AuditLogGrain(NpgsqlDataSource dataSource, TimeProvider clock, UserDataKeys keys, UserTicketStore tickets) : Grain, IAuditLogGrain
{
    internal const string Genesis = "meiling-audit-genesis";

    // Every appender takes this transaction-scoped lock first: one append at a time, in the database.
    private const long AppendLock = 0x4d4c_4155_4449_54; // "MLAUDIT"

    async Task<AuditRecord> IAuditLogGrain.Append(AuditEntry entry) => (await AppendChainedAsync([entry]))[0];

    async Task IAuditLogGrain.AppendEach(IReadOnlyList<AuditEntry> entries)
    {
        if (entries.Count > 0)
        {
            await AppendChainedAsync(entries);
        }
    }

    private async Task<IReadOnlyList<AuditRecord>> AppendChainedAsync(IReadOnlyList<AuditEntry> entries)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var (lastSequence, lastHash) = await ReadNewestUnderLockAsync(connection, transaction);
        var at = PostgresTime.AsStored(clock.GetUtcNow());
        var records = new List<AuditRecord>(entries.Count);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var entry in entries)
        {
            var sequence = lastSequence + 1;
            var hash = Chain(lastHash, sequence, at, entry);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO audit_log (sequence, at, actor_role, actor_id, action, subject_user_id, detail, previous_hash, hash)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """)
            {
                Parameters =
                {
                    new() { Value = sequence },
                    new() { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new() { Value = entry.ActorRole },
                    new() { Value = entry.ActorId },
                    new() { Value = entry.Action },
                    new() { Value = (object?)entry.SubjectUserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = (object?)entry.Detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = lastHash },
                    new() { Value = hash },
                },
            });
            records.Add(new AuditRecord(sequence, at, entry, hash));
            (lastSequence, lastHash) = (sequence, hash);
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return records;
    }

    // The newest entry of the log itself (not the head kept beside it, which only verification trusts), read after
    // the lock so no other append can come in between; one round trip.
    private static async Task<(long Sequence, string Hash)> ReadNewestUnderLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new() { Value = AppendLock } } },
                new NpgsqlBatchCommand("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.NextResultAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetString(1)) : (0, Genesis);
    }

    async Task<IReadOnlyList<AuditRecord>> IAuditLogGrain.About(string userId, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, at, actor_role, actor_id, action, subject_user_id, detail, hash
              FROM audit_log WHERE subject_user_id = $1 ORDER BY sequence LIMIT $2
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = Math.Clamp(limit, 1, 10_000) });
        return await ReadRecordsAsync(command);
    }

    async Task<IReadOnlyList<AuditRecord>> IAuditLogGrain.AboutRequest(string userId, string requestId, int limit)
    {
        // The request grain writes its id as the actor, or as the detail's first member ({"requestId":…}); the support
        // audit middleware's entries about a user begin with the route's userId, or with subjectFrom for a read by id whose
        // user the resource named (an agent viewing the request itself), so an agent naming the request in a query string
        // of a user's page, or reading it, cannot pass for (nor crowd out) the request's own record.
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, at, actor_role, actor_id, action, subject_user_id, detail, hash
              FROM audit_log
             WHERE subject_user_id = $1 AND (actor_id = $2 OR starts_with(detail, $3))
             ORDER BY sequence LIMIT $4
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = requestId });
        command.Parameters.Add(new() { Value = $"{{\"requestId\":{JsonSerializer.Serialize(requestId)}" });
        command.Parameters.Add(new() { Value = Math.Clamp(limit, 1, 10_000) });
        return await ReadRecordsAsync(command);
    }

    async Task<IReadOnlyList<AuditRecord>> IAuditLogGrain.WebhookChanges(string merchantId, int limit)
    {
        // The conditions on action and on the detail's fourth quoted part are the partial index's own
        // (ix_audit_log_webhook_changes_by_merchant): the merchant's entries alone, newest first. The detail starts with
        // the merchant's id, as only these entries' details do, which the prefix checks whole.
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, at, actor_role, actor_id, action, subject_user_id, detail, hash
              FROM audit_log
             WHERE action LIKE 'webhook:%' AND split_part(detail, '"', 4) = $3 AND starts_with(detail, $1)
             ORDER BY sequence DESC LIMIT $2
            """);
        command.Parameters.Add(new() { Value = $"{{\"merchantId\":{JsonSerializer.Serialize(merchantId)}" });
        command.Parameters.Add(new() { Value = Math.Clamp(limit, 1, 1_000) });
        command.Parameters.Add(new() { Value = merchantId });
        return await ReadRecordsAsync(command);
    }

    async Task<AccessLogPage> IAuditLogGrain.AccessLog(string userId, long? before, int limit)
    {
        // Keyset on the subject index (ix_audit_log_subject), newest first, one more than asked to know whether more follow.
        // P3.3: a legal demand the user may not be told of stays out of what they read, as it does of their disclosures, every
        // step of it (recorded, approved, renewed), until its withholding lapses and the user is told.
        var take = Math.Clamp(limit, 1, IAuditLogGrain.MaxAccessLogPage);
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, at, actor_role, actor_id, action, subject_user_id, detail, hash
              FROM audit_log
             WHERE subject_user_id = $1 AND sequence < $2
               AND CASE WHEN action = 'legal-disclosure' OR starts_with(action, 'legal-disclosure:')
                        THEN (detail::jsonb ->> 'userNotified') IS DISTINCT FROM 'false'
                             OR EXISTS (SELECT 1 FROM legal_disclosures l WHERE l.disclosure_id = detail::jsonb ->> 'disclosureId' AND l.user_notified)
                        ELSE true END
             ORDER BY sequence DESC LIMIT $3
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = before ?? long.MaxValue });
        command.Parameters.Add(new() { Value = take + 1 });
        var records = await ReadRecordsAsync(command);
        var page = records.Take(take).ToList();
        var entries = await new AccessLogView(keys, tickets).ShowAsync(userId, page);
        return new AccessLogPage(entries, records.Count > take ? page[^1].Sequence : null);
    }

    private static async Task<IReadOnlyList<AuditRecord>> ReadRecordsAsync(NpgsqlCommand command)
    {
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    // Kept for the previous release's callers (WireContractTests); this release walks the chain in the watch, a page at a time.
    // Always interleaved (IAuditLogGrain.Verify), so waiting on the walk never holds this worker from an append (P8.1).
    async Task<AuditVerification> IAuditLogGrain.Verify()
    {
        var check = await GrainFactory.GetGrain<IAuditChainWatchGrain>(IAuditChainWatchGrain.PlatformKey).Check();
        return new AuditVerification(check.EntriesChecked, check.Intact, check.FirstBrokenSequence);
    }

    internal static AuditRecord ReadRecord(NpgsqlDataReader reader) => new(
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
