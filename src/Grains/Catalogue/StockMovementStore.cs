using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Catalogue;

/// <summary>Every stock movement of a product, kept in a table so no grain's state grows with them.</summary>
public sealed class StockMovementStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Records a movement of the product keyed <c>{merchantId}/{sku}</c>; one under a caller's Idempotency-Key only once,
    /// so the grain may record it again on a retry (its row lost to a crash after the state was written).
    /// </summary>
    public async Task RecordAsync(string productKey, string movementId, StockAdjustment movement, int stockAfter, DateTimeOffset at)
    {
        var separator = productKey.IndexOf('/', StringComparison.Ordinal);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO stock_movements (movement_id, merchant_id, sku, delta, stock_after, reason, operation, staff_id, order_id, at, operator_id)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
             WHERE NOT starts_with($7, '{StockAdjustment.KeyPrefix}')
                OR NOT EXISTS (SELECT 1 FROM stock_movements WHERE merchant_id = $2 AND sku = $3 AND operation = $7)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new() { Value = movementId });
        command.Parameters.Add(new() { Value = productKey[..separator] });
        command.Parameters.Add(new() { Value = productKey[(separator + 1)..] });
        command.Parameters.Add(new() { Value = movement.Delta });
        command.Parameters.Add(new() { Value = stockAfter });
        command.Parameters.Add(new() { Value = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(movement.Reason.ToString()) });
        command.Parameters.Add(new() { Value = movement.OperationId });
        command.Parameters.Add(new() { Value = (object?)movement.StaffId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)movement.OrderId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)movement.OperatorId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The movement an operation made of the product keyed <c>{merchantId}/{sku}</c>, or null when none did.</summary>
    public async Task<RecordedOperation?> FindAsync(string productKey, string operationId)
    {
        var separator = productKey.IndexOf('/', StringComparison.Ordinal);
        var rows = await Platform.DataSourceQueries.ReadRowsAsync(dataSource, """
            SELECT delta, stock_after FROM stock_movements WHERE merchant_id = $1 AND sku = $2 AND operation = $3 ORDER BY at LIMIT 1
            """,
            reader => new RecordedOperation(reader.GetInt32(0), reader.GetInt32(1)),
            productKey[..separator], productKey[(separator + 1)..], operationId);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>
    /// The movement an operation made of the product keyed <c>{merchantId}/{sku}</c> by this staff member and operator (null
    /// for neither: the merchant's own key), or null when none did.
    /// </summary>
    public async Task<RecordedOperation?> FindByAsync(string productKey, string operationId, string? staffId, string? operatorId)
    {
        var separator = productKey.IndexOf('/', StringComparison.Ordinal);
        var rows = await Platform.DataSourceQueries.ReadRowsAsync(dataSource, """
            SELECT delta, stock_after FROM stock_movements
             WHERE merchant_id = $1 AND sku = $2 AND operation = $3 AND coalesce(staff_id, '') = $4 AND coalesce(operator_id, '') = $5
             ORDER BY at LIMIT 1
            """,
            reader => new RecordedOperation(reader.GetInt32(0), reader.GetInt32(1)),
            productKey[..separator], productKey[(separator + 1)..], operationId, staffId ?? "", operatorId ?? "");
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>
    /// The product's movements newest first, from the latest or from those before <paramref name="beforeMovementId"/> (by
    /// the listing's order, its instant then its id): none when that movement is not this product's.
    /// </summary>
    public async Task<IReadOnlyList<StockMovement>> LatestAsync(string merchantId, string sku, int limit, string? beforeMovementId = null) =>
        await Platform.DataSourceQueries.ReadRowsAsync(dataSource, """
            SELECT movement_id, delta, stock_after, reason, staff_id, order_id, at, operator_id FROM stock_movements
             WHERE merchant_id = $1 AND sku = $2
               AND ($4::text IS NULL OR (at, movement_id) < (
                    SELECT at, movement_id FROM stock_movements WHERE merchant_id = $1 AND sku = $2 AND movement_id = $4))
             ORDER BY at DESC, movement_id DESC LIMIT $3
            """,
            reader => new StockMovement(
                reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7)),
            merchantId, sku, limit, (object?)beforeMovementId ?? DBNull.Value);
}

/// <summary>What one recorded operation did to a product's stock: its delta and the stock it left.</summary>
public sealed record RecordedOperation(int Delta, int StockAfter);
