using MeiLing.Grains.Orders;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Reports;

/// <summary>
/// The merchant's takings: one row per confirmed payment and per part of a refund given back, with order id,
/// method, amount and time and nothing about the customer, so reports survive every customer's erasure.
/// </summary>
public sealed class TakingsLedger(NpgsqlDataSource dataSource, Platform.GroupCommit groupCommit)
{
    public const string Payment = "payment";
    public const string Refund = "refund";

    /// <summary>Money put on a member card: no order, no sale, but takings the till must hold.</summary>
    public const string TopUp = "top-up";

    /// <summary>
    /// Writes every row the order's money calls for; rows already there stay as they are, so calling it at each
    /// money movement also restores a row a crash kept from being written the time before.
    /// </summary>
    public async Task RecordAsync(string orderId, OrderState order)
    {
        var entries = order.Payments.Where(p => !p.AwaitingPartner)
            .Select(p => (Id: p.PaymentId, Kind: Payment, p.Method, p.AmountFen, p.At))
            .Concat(order.Refunds.SelectMany(r => r.Parts.Where(part => part.Done)
                .Select(part => (Id: $"{r.RefundId}/{part.PaymentId}", Kind: Refund, part.Method, part.AmountFen, r.At))))
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand("""
            INSERT INTO merchant_takings (entry_id, merchant_id, order_id, kind, method, amount_fen, at)
            SELECT entry.id, $1, $2, entry.kind, entry.method, entry.amount_fen, entry.at
              FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[]) AS entry (id, kind, method, amount_fen, at)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new() { Value = order.MerchantId });
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = entries.Select(e => e.Id).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => e.Kind).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => MethodName(e.Method)).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => e.AmountFen).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => e.At).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await groupCommit.WriteAsync([command]);
    }

    /// <summary>
    /// Runs <paramref name="writeState"/>, the card's state write, with a top-up's row under a random id in the same unit
    /// (<see cref="Platform.GroupCommit.WriteWithStateAsync"/>): no order and nothing naming the card or its user.
    /// </summary>
    public Task WriteTopUpWithStateAsync(string merchantId, long amountFen, DateTimeOffset at, Func<Task> writeState)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO merchant_takings (entry_id, merchant_id, order_id, kind, method, amount_fen, at)
            VALUES ($1, $2, '', $3, $4, $5, $6)
            """);
        command.Parameters.Add(new() { Value = $"{TopUp}/{Guid.NewGuid():N}" });
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = TopUp });
        command.Parameters.Add(new() { Value = MethodName(PaymentMethod.MemberCard) });
        command.Parameters.Add(new() { Value = amountFen });
        command.Parameters.Add(new() { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return groupCommit.WriteWithStateAsync([command], writeState);
    }

    /// <summary>The takings between two instants: per method and kind, the count of rows and their amount.</summary>
    public Task<IReadOnlyList<(string Method, string Kind, int Count, long AmountFen)>> SumAsync(string merchantId, DateTimeOffset from, DateTimeOffset to) =>
        Platform.DataSourceQueries.ReadRowsAsync(dataSource, """
            SELECT method, kind, count(*)::integer, sum(amount_fen)::bigint FROM merchant_takings
             WHERE merchant_id = $1 AND at >= $2 AND at < $3 GROUP BY method, kind
            """,
            reader => (reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)),
            merchantId, from, to);

    /// <summary>Orders placed between two instants and not cancelled, from the listing table (kept, anonymized, after erasure).</summary>
    public async Task<int> OrdersPlacedAsync(string merchantId, DateTimeOffset from, DateTimeOffset to)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*)::integer FROM order_index WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3 AND status <> 'Cancelled'
            """);
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = to, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public static string MethodName(PaymentMethod method) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(method.ToString());
}
