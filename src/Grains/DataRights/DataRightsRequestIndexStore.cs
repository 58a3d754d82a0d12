using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.DataRights;

/// <summary>Every request's status and due date, for support's open and overdue lists (P8.1). No personal data.</summary>
public sealed class DataRightsRequestIndexStore(NpgsqlDataSource dataSource)
{
    public async Task UpsertAsync(DataRightsRequestView request)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO data_rights_requests (request_id, user_id, type, status, received_at, due_at, completed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (request_id) DO UPDATE SET status = excluded.status, completed_at = excluded.completed_at
            """);
        command.Parameters.Add(new() { Value = request.RequestId });
        command.Parameters.Add(new() { Value = request.UserId });
        command.Parameters.Add(new() { Value = request.Type.ToString() });
        command.Parameters.Add(new() { Value = request.Status.ToString() });
        command.Parameters.Add(new() { Value = request.ReceivedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = request.DueAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)request.CompletedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<string>> OpenAsync(DateTimeOffset? dueBefore, int limit) =>
        dataSource.ReadStringsAsync("""
            SELECT request_id FROM data_rights_requests
             WHERE status IN ('Received', 'InProgress') AND due_at < $1
             ORDER BY due_at LIMIT $2
            """, dueBefore ?? DateTimeOffset.MaxValue, limit);

    /// <summary>Every request id of the user, oldest first (for erasure and the access bundle).</summary>
    public Task<IReadOnlyList<string>> OfUserAsync(string userId) =>
        dataSource.ReadStringsAsync("SELECT request_id FROM data_rights_requests WHERE user_id = $1 ORDER BY received_at", userId);
}
