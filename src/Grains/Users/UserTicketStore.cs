using MeiLing.Grains.Platform;
using MeiLing.Grains.Tickets;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Users;

/// <summary>
/// The links from a user to their support tickets (<c>user_tickets</c>), kept out of the user's state: they grow with
/// every ticket, and an erasure finds and removes them by user id. The tickets' words live in the ticket grains.
/// </summary>
public sealed class UserTicketStore(NpgsqlDataSource dataSource)
{
    public async Task<bool> IsLinkedAsync(string userId, string ticketId)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM user_tickets WHERE user_id = $1 AND ticket_id = $2)");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = ticketId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Links tickets to the user; a link already there stays as it is.</summary>
    public async Task LinkAsync(string userId, IEnumerable<string> ticketIds, DateTimeOffset openedAt)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var ticketId in ticketIds)
        {
            var command = new NpgsqlBatchCommand(
                "INSERT INTO user_tickets (user_id, ticket_id, opened_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, ticket_id) DO NOTHING");
            command.Parameters.Add(new() { Value = userId });
            command.Parameters.Add(new() { Value = ticketId });
            command.Parameters.Add(new() { Value = openedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The user's ticket ids, oldest first.</summary>
    public Task<IReadOnlyList<string>> TicketIdsOfUserAsync(string userId) =>
        dataSource.ReadStringsAsync("SELECT ticket_id FROM user_tickets WHERE user_id = $1 ORDER BY opened_at, ticket_id", userId);

    /// <summary>At most <paramref name="take"/> of the user's ticket ids, newest first, after the newest <paramref name="skip"/>; and how many there are.</summary>
    public async Task<TicketIdPage> NewestOfUserAsync(string userId, int skip, int take)
    {
        var rows = await dataSource.ReadRowsAsync("""
            SELECT (SELECT count(*) FROM user_tickets WHERE user_id = $1)::integer,
                   ARRAY(SELECT ticket_id FROM user_tickets WHERE user_id = $1 ORDER BY opened_at DESC, ticket_id DESC OFFSET $2 LIMIT $3)
            """, reader => new TicketIdPage(reader.GetFieldValue<string[]>(1), reader.GetInt32(0)), userId, skip, take);
        return rows[0];
    }

    /// <summary>
    /// P1.7: whether the ticket awaits support's reply, and since when (the user's first message support has not answered;
    /// null: none). Set from the ticket's state after each write, so the queue follows what the ticket holds.
    /// </summary>
    public async Task SetAwaitingReplyAsync(string userId, string ticketId, DateTimeOffset? since)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE user_tickets SET awaiting_reply_since = $3 WHERE user_id = $1 AND ticket_id = $2 AND awaiting_reply_since IS DISTINCT FROM $3");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = ticketId });
        command.Parameters.Add(new() { Value = since.HasValue ? since.Value : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The tickets awaiting support's reply, longest waiting first, after the one at (<paramref name="afterSince"/>, <paramref name="afterTicketId"/>) when given.</summary>
    public Task<IReadOnlyList<AwaitingTicket>> AwaitingReplyAsync(DateTimeOffset? afterSince, string afterTicketId, int limit) =>
        dataSource.ReadRowsAsync(
            """
            SELECT ticket_id, user_id, awaiting_reply_since FROM user_tickets
             WHERE awaiting_reply_since IS NOT NULL AND ($1::timestamptz IS NULL OR (awaiting_reply_since, ticket_id) > ($1::timestamptz, $2))
             ORDER BY awaiting_reply_since, ticket_id LIMIT $3
            """,
            reader => AwaitingTicket.Since(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)),
            afterSince.HasValue ? afterSince.Value : DBNull.Value, afterTicketId, limit);

    /// <summary>
    /// Removes the user's links to <paramref name="ticketIds"/>, the tickets an erasure erased; returns how many there were.
    /// Not every link of the user: a ticket opened while the erasure ran (linked after its ids were read, its state written
    /// after) lost its link and kept its words, sealed under the user's key, where no list, export or later erasure found it.
    /// </summary>
    public async Task<int> EraseAsync(string userId, IReadOnlyList<string> ticketIds)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_tickets WHERE user_id = $1 AND ticket_id = ANY($2)");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = ticketIds.ToArray() });
        return await command.ExecuteNonQueryAsync();
    }
}
