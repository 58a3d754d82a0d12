using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Transfers;

/// <summary>The users a business transfer concerns (P3.2): told when, objected when, settled (handed over or left out) when.</summary>
public sealed class TransferUsersStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(string transferId, IEnumerable<string> userIds)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO transfer_users (transfer_id, user_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new() { Value = transferId });
        command.Parameters.Add(new() { Value = userIds.ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<string>> UntoldAsync(string transferId) =>
        dataSource.ReadStringsAsync("SELECT user_id FROM transfer_users WHERE transfer_id = $1 AND notified_at IS NULL ORDER BY user_id", transferId);

    public Task MarkToldAsync(string transferId, string userId, DateTimeOffset now) =>
        ExecuteAsync("UPDATE transfer_users SET notified_at = coalesce(notified_at, $3) WHERE transfer_id = $1 AND user_id = $2", transferId, userId, now);

    public async Task<int> CountAsync(string transferId) =>
        (await dataSource.ReadRowsAsync("SELECT count(*)::integer FROM transfer_users WHERE transfer_id = $1", reader => reader.GetInt32(0), transferId))[0];

    /// <summary>Records the user's objection; false when the transfer does not concern the user.</summary>
    public async Task<bool> ObjectAsync(string transferId, string userId, DateTimeOffset now) =>
        await ExecuteAsync("UPDATE transfer_users SET objected_at = coalesce(objected_at, $3) WHERE transfer_id = $1 AND user_id = $2", transferId, userId, now) > 0;

    /// <summary>Up to <paramref name="limit"/> users not yet handed over or left out, in id order.</summary>
    public Task<IReadOnlyList<(string UserId, bool Objected)>> UnsettledAsync(string transferId, int limit) =>
        dataSource.ReadRowsAsync(
            "SELECT user_id, objected_at IS NOT NULL FROM transfer_users WHERE transfer_id = $1 AND settled_at IS NULL ORDER BY user_id LIMIT $2",
            reader => (reader.GetString(0), reader.GetBoolean(1)),
            transferId, limit);

    public Task MarkSettledAsync(string transferId, string userId, DateTimeOffset now) =>
        ExecuteAsync("UPDATE transfer_users SET settled_at = coalesce(settled_at, $3) WHERE transfer_id = $1 AND user_id = $2", transferId, userId, now);

    private async Task<int> ExecuteAsync(string sql, string transferId, string userId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = transferId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }
}
