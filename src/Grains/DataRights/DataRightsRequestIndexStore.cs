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
            ON CONFLICT (request_id) DO UPDATE SET user_id = excluded.user_id, type = excluded.type, status = excluded.status,
                received_at = excluded.received_at, due_at = excluded.due_at, completed_at = excluded.completed_at
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

    /// <summary>Drops the row of a request that was never received.</summary>
    public async Task DeleteAsync(string requestId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM data_rights_requests WHERE request_id = $1");
        command.Parameters.Add(new() { Value = requestId });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A page of open requests by due date (the request id breaks ties), after the given position; the
    /// position of its last row when more follow. Rows of requests never received may be among them.
    /// </summary>
    public async Task<(IReadOnlyList<string> RequestIds, RequestPosition? Next)> OpenAsync(DateTimeOffset? dueBefore, RequestPosition? after, int limit)
    {
        var rows = await dataSource.ReadRowsAsync(
            """
            SELECT request_id, due_at FROM data_rights_requests
             WHERE status IN ('AwaitingConfirmation', 'Received', 'InProgress') AND due_at < $1 AND (due_at, request_id) > ($2, $3)
             ORDER BY due_at, request_id LIMIT $4
            """,
            reader => new RequestPosition(reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(0)),
            dueBefore ?? DateTimeOffset.MaxValue, after?.DueAt ?? DateTimeOffset.MinValue, after?.RequestId ?? "", limit + 1);
        var page = rows.Take(limit).ToList();
        return ([.. page.Select(row => row.RequestId)], rows.Count > limit ? page[^1] : null);
    }

    /// <summary>Up to <paramref name="take"/> of the user's request ids after the first <paramref name="skip"/>, oldest or newest first.</summary>
    public Task<IReadOnlyList<string>> PageOfUserAsync(string userId, int skip, int take, bool newestFirst) =>
        dataSource.ReadStringsAsync(
            newestFirst
                ? "SELECT request_id FROM data_rights_requests WHERE user_id = $1 ORDER BY received_at DESC, request_id DESC OFFSET $2 LIMIT $3"
                : "SELECT request_id FROM data_rights_requests WHERE user_id = $1 ORDER BY received_at, request_id OFFSET $2 LIMIT $3",
            userId, skip, take);

    /// <summary>
    /// The user's closed corrections, the only requests that keep what they changed (an address, an avatar, a birth date):
    /// a deletion forgets it there without waking every request the user ever filed (P4.4).
    /// </summary>
    public Task<IReadOnlyList<string>> ClosedCorrectionsOfUserAsync(string userId) =>
        dataSource.ReadStringsAsync(
            "SELECT request_id FROM data_rights_requests WHERE user_id = $1 AND type = 'Correction' AND status IN ('Completed', 'Rejected', 'Cancelled') ORDER BY received_at",
            userId);

    /// <summary>
    /// The user's requests of every type that are closed or await confirmation, whose free-text notes a deletion replaces
    /// once (P4.1); the closed corrections among them keep details too, forgotten per category.
    /// </summary>
    public Task<IReadOnlyList<string>> ClosedOrAwaitingOfUserAsync(string userId) =>
        dataSource.ReadStringsAsync(
            "SELECT request_id FROM data_rights_requests WHERE user_id = $1 AND status IN ('Completed', 'Rejected', 'Cancelled', 'AwaitingConfirmation') ORDER BY received_at",
            userId);

    /// <summary>Every request id of the user, oldest first (for erasure and the access bundle).</summary>
    public Task<IReadOnlyList<string>> OfUserAsync(string userId) =>
        dataSource.ReadStringsAsync("SELECT request_id FROM data_rights_requests WHERE user_id = $1 ORDER BY received_at", userId);
}

/// <summary>Where a request stands in the open list: its due date, then its id.</summary>
public sealed record RequestPosition(DateTimeOffset DueAt, string RequestId);
