using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Orders;

/// <summary>
/// The order listings (P1.4): one row per order in a table indexed by merchant and by user, newest
/// first, paged by keyset cursor. No grain's state grows with the orders a merchant ever took, and a
/// page costs the same at a million orders as at a hundred.
/// </summary>
public sealed class OrderIndexStore(NpgsqlDataSource dataSource)
{
    /// <summary>Writes the order's listing row (its user, total and status as they are now).</summary>
    public async Task UpsertAsync(string orderId, OrderState order)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(IndexRow(orderId, order));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Writes the listing row and records the order's lines for analytics (no personal data); idempotent,
    /// so a retried placement adds no second set of facts.
    /// </summary>
    /// <remarks>
    /// One round trip and one commit: a batch without error barriers runs as one implicit transaction,
    /// so the row and the facts are written together or not at all.
    /// </remarks>
    public async Task UpsertWithLineFactsAsync(string orderId, OrderState order)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(IndexRow(orderId, order));
        batch.BatchCommands.Add(LineFacts(orderId, order));
        await batch.ExecuteNonQueryAsync();
    }

    private static NpgsqlBatchCommand IndexRow(string orderId, OrderState order)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO order_index (order_id, merchant_id, user_id, created_at, total_fen, status)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (order_id) DO UPDATE SET user_id = excluded.user_id, total_fen = excluded.total_fen, status = excluded.status
            """);
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = order.MerchantId });
        command.Parameters.Add(new() { Value = (object?)order.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = order.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = order.TotalFen });
        command.Parameters.Add(new() { Value = order.Status.ToString() });
        return command;
    }

    // One statement whatever the number of lines; a line's number is its position, so a retry finds its facts there.
    private static NpgsqlBatchCommand LineFacts(string orderId, OrderState order)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO order_line_facts (order_id, line_no, merchant_id, region, day, sku, quantity, amount_fen)
            SELECT $1, (line.ordinal - 1)::integer, $2, $3, $4, line.sku, line.quantity, line.amount_fen
              FROM unnest($5::text[], $6::integer[], $7::bigint[]) WITH ORDINALITY AS line (sku, quantity, amount_fen, ordinal)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = order.MerchantId });
        command.Parameters.Add(new() { Value = order.Region });
        command.Parameters.Add(new() { Value = DateOnly.FromDateTime(order.CreatedAt.UtcDateTime) });
        command.Parameters.Add(new() { Value = order.Lines.Select(line => line.Sku).ToArray() });
        command.Parameters.Add(new() { Value = order.Lines.Select(line => line.Quantity).ToArray() });
        command.Parameters.Add(new() { Value = order.Lines.Select(line => line.TotalFen).ToArray() });
        return command;
    }

    public Task<OrderPage> PageByMerchantAsync(string merchantId, string? cursor, int limit) =>
        PageAsync("merchant_id", merchantId, cursor, limit);

    public Task<OrderPage> PageByUserAsync(string userId, string? cursor, int limit) =>
        PageAsync("user_id", userId, cursor, limit);

    /// <summary>Every order id of the user (for export and erasure).</summary>
    public Task<IReadOnlyList<string>> OrderIdsOfUserAsync(string userId) =>
        dataSource.ReadStringsAsync("SELECT order_id FROM order_index WHERE user_id = $1 ORDER BY created_at", userId);

    /// <summary>The orders of a merchant that still belong to a user (for its termination).</summary>
    public Task<IReadOnlyList<string>> OrderIdsOfMerchantWithUsersAsync(string merchantId) =>
        dataSource.ReadStringsAsync("SELECT order_id FROM order_index WHERE merchant_id = $1 AND user_id IS NOT NULL ORDER BY created_at", merchantId);

    /// <summary>Every user who ever ordered at the merchant.</summary>
    public Task<IReadOnlyList<string>> UsersOfMerchantAsync(string merchantId) =>
        dataSource.ReadStringsAsync("SELECT DISTINCT user_id FROM order_index WHERE merchant_id = $1 AND user_id IS NOT NULL", merchantId);

    private async Task<OrderPage> PageAsync(string ownerColumn, string ownerId, string? cursor, int limit)
    {
        var after = After(cursor);
        await using var command = dataSource.CreateCommand($"""
            SELECT order_id, merchant_id, user_id, created_at, total_fen, status FROM order_index
             WHERE {ownerColumn} = $1 AND ($2::timestamptz IS NULL OR (created_at, order_id) < ($2, $3))
             ORDER BY created_at DESC, order_id DESC
             LIMIT $4
            """);
        command.Parameters.Add(new() { Value = ownerId });
        command.Parameters.Add(new() { Value = (object?)after?.CreatedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = after?.OrderId ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit + 1 });
        var rows = new List<OrderSummary>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(new OrderSummary(
                    reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4), Enum.Parse<OrderStatus>(reader.GetString(5))));
            }
        }

        if (rows.Count <= limit)
        {
            return new OrderPage(rows, null);
        }

        rows.RemoveAt(limit);
        var last = rows[^1];
        return new OrderPage(rows, OrderCursor.Encode(last.CreatedAt, last.OrderId));
    }

    private static (DateTimeOffset CreatedAt, string OrderId)? After(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? null
        : OrderCursor.TryDecode(cursor, out var createdAt, out var orderId) ? (createdAt, orderId)
        : throw DomainException.InvalidField("cursor", "invalid-cursor", "The cursor is not one this API gave out.");
}
