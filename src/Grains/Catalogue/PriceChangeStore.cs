using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Catalogue;

/// <summary>Every change of a product's price, kept in a table so the catalogue's state does not grow with them.</summary>
public sealed class PriceChangeStore(NpgsqlDataSource dataSource)
{
    public async Task RecordAsync(string merchantId, string sku, PriceChange change)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO price_changes (change_id, merchant_id, sku, previous_price_fen, price_fen, staff_id, operator_id, changed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        command.Parameters.Add(new() { Value = change.ChangeId });
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = sku });
        command.Parameters.Add(new() { Value = change.PreviousPriceFen });
        command.Parameters.Add(new() { Value = change.PriceFen });
        command.Parameters.Add(new() { Value = (object?)change.StaffId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)change.OperatorId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = change.ChangedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The product's price changes newest first, from the latest or from those before <paramref name="beforeChangeId"/>
    /// (by the listing's order, its instant then its id): none when that change is not this product's.
    /// </summary>
    public async Task<IReadOnlyList<PriceChange>> LatestAsync(string merchantId, string sku, int limit, string? beforeChangeId) =>
        await Platform.DataSourceQueries.ReadRowsAsync(dataSource, """
            SELECT change_id, previous_price_fen, price_fen, staff_id, operator_id, changed_at FROM price_changes
             WHERE merchant_id = $1 AND sku = $2
               AND ($4::text IS NULL OR (changed_at, change_id) < (
                    SELECT changed_at, change_id FROM price_changes WHERE merchant_id = $1 AND sku = $2 AND change_id = $4))
             ORDER BY changed_at DESC, change_id DESC LIMIT $3
            """,
            reader => new PriceChange(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)),
            merchantId, sku, limit, (object?)beforeChangeId ?? DBNull.Value);
}
