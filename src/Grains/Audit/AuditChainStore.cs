using Npgsql;

namespace MeiLing.Grains.Audit;

/// <summary>
/// The audit log as its chain's walk reads it (P8.1): where the log ends, and its entries a bounded page at a time. Read
/// straight from the database, never through the audit log's stateless workers, so a walk of any length holds none of the
/// workers that append (every support call, request step and operator act does). An interface so that a test silo can hold a
/// walk halfway and show what goes on meanwhile.
/// </summary>
public interface IAuditChainStore
{
    /// <summary>The newest entry's sequence (null for an empty log) and the head kept beside the log, read at one moment.</summary>
    Task<AuditChainEnds> ReadEndsAsync();

    /// <summary>At most <paramref name="limit"/> entries after sequence <paramref name="after"/> up to <paramref name="upTo"/>, in sequence order.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadPageAsync(long after, long upTo, int limit);
}

/// <summary>Where the log ends as one statement saw it: its newest entry, and the head kept beside it (null when removed).</summary>
public sealed record AuditChainEnds(long? NewestSequence, long? HeadSequence, string? HeadHash);

public sealed class AuditChainStore(NpgsqlDataSource dataSource) : IAuditChainStore
{
    public async Task<AuditChainEnds> ReadEndsAsync()
    {
        // One statement, so one snapshot: the head moves in the same transaction as each insert, so it and the newest entry
        // agree unless entries were cut off (or the head removed). Both are single-row index reads.
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT max(sequence) FROM audit_log),
                   (SELECT sequence FROM audit_log_head),
                   (SELECT hash FROM audit_log_head)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new AuditChainEnds(
            reader.IsDBNull(0) ? null : reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadPageAsync(long after, long upTo, int limit)
    {
        // A range of the primary key: each page is a short query, whatever the log's length.
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, at, actor_role, actor_id, action, subject_user_id, detail, hash
              FROM audit_log WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence LIMIT $3
            """);
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = upTo });
        command.Parameters.Add(new() { Value = Math.Clamp(limit, 1, AuditSettings.MaxVerifyPageSize) });
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(AuditLogGrain.ReadRecord(reader));
        }

        return records;
    }
}
