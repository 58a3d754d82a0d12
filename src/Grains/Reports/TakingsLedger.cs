using MeiLing.Grains.Orders;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Reports;

/// <summary>
/// The merchant's takings: one row per confirmed payment, per part of a refund given back and per member-card top-up,
/// with order id, method, amount and time and nothing about the customer, so reports survive every customer's erasure.
/// Money the merchant's side moved also names who moved it (<c>taken_by</c>): a staff id, or <see cref="MerchantKey"/>.
/// </summary>
public sealed class TakingsLedger(NpgsqlDataSource dataSource, Platform.GroupCommit groupCommit)
{
    public const string Payment = "payment";
    public const string Refund = "refund";

    /// <summary>Money put on a member card: no order, no sale, but takings the till must hold.</summary>
    public const string TopUp = "top-up";

    /// <summary>
    /// <c>taken_by</c> of money moved with the merchant's own key. Staff ids are <c>stf_…</c>, so it names no one of them;
    /// null is left for rows that name no one: written before 0052, or moved by the customer or a partner.
    /// </summary>
    public const string MerchantKey = "merchant";

    /// <summary>
    /// At most this many staff members' shares of a day's top-ups: every staff member a merchant can ever enrol
    /// (<see cref="Merchants.IMerchantGrain.MaxStaff"/>, offboarded ones included) and the merchant's own key.
    /// </summary>
    public const int MaxTakersPerDay = Merchants.IMerchantGrain.MaxStaff + 1;

    /// <summary>Who at the merchant's till moved money, for <c>taken_by</c>: the staff member, or the merchant's own key.</summary>
    public static string TakenBy(string? staffId) => staffId ?? MerchantKey;

    /// <summary>
    /// The rows the order's money calls for: each payment made, and each part of a refund given back. A partner's
    /// payment still awaiting its confirmation is not takings yet, and nor is a refund of it (a cancellation gives back
    /// such a payment too, in case the charge goes through): were the refund counted alone, a charge that never went
    /// through would leave the day's net short for good. Both rows are written once the partner confirms.
    /// </summary>
    internal static IReadOnlyList<TakingsEntry> EntriesOf(OrderState order)
    {
        var awaiting = order.Payments.Where(p => p.AwaitingPartner).Select(p => p.PaymentId).ToHashSet(StringComparer.Ordinal);
        return order.Payments.Where(p => !p.AwaitingPartner)
            .Select(p => new TakingsEntry(p.PaymentId, Payment, p.Method, p.AmountFen, p.At, p.TakenBy))
            .Concat(order.Refunds.SelectMany(r => r.Parts.Where(part => part.Done && !awaiting.Contains(part.PaymentId))
                .Select(part => new TakingsEntry($"{r.RefundId}/{part.PaymentId}", Refund, part.Method, part.AmountFen, r.At, r.TakenBy))))
            .ToList();
    }

    /// <summary>One row of <c>merchant_takings</c> for an order: a payment, or one part of a refund.</summary>
    internal sealed record TakingsEntry(string Id, string Kind, PaymentMethod Method, long AmountFen, DateTimeOffset At, string? TakenBy);

    /// <summary>
    /// Writes every row the order's money calls for; rows already there stay as they are, so calling it at each
    /// money movement also restores a row a crash kept from being written the time before.
    /// </summary>
    public async Task RecordAsync(string orderId, OrderState order)
    {
        var entries = EntriesOf(order);
        if (entries.Count == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand("""
            INSERT INTO merchant_takings (entry_id, merchant_id, order_id, kind, method, amount_fen, at, taken_by)
            SELECT entry.id, $1, $2, entry.kind, entry.method, entry.amount_fen, entry.at, entry.taken_by
              FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[], $8::text[])
                   AS entry (id, kind, method, amount_fen, at, taken_by)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new() { Value = order.MerchantId });
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = entries.Select(e => e.Id).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => e.Kind).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => MethodName(e.Method)).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => e.AmountFen).ToArray() });
        command.Parameters.Add(new() { Value = entries.Select(e => e.At).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = entries.Select(e => e.TakenBy).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await groupCommit.WriteAsync([command]);
    }

    /// <summary>
    /// Runs <paramref name="writeState"/>, the card's state write, with a top-up's row under a random id in the same unit
    /// (<see cref="Platform.GroupCommit.WriteWithStateAsync"/>): no order and nothing naming the card or its user, only who
    /// at the till made it (<paramref name="takenBy"/>, <see cref="TakenBy"/>; null when the caller did not say).
    /// </summary>
    public Task WriteTopUpWithStateAsync(string merchantId, long amountFen, DateTimeOffset at, string? takenBy, Func<Task> writeState)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO merchant_takings (entry_id, merchant_id, order_id, kind, method, amount_fen, at, taken_by)
            VALUES ($1, $2, '', $3, $4, $5, $6, $7)
            """);
        command.Parameters.Add(new() { Value = $"{TopUp}/{Guid.NewGuid():N}" });
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = TopUp });
        command.Parameters.Add(new() { Value = MethodName(PaymentMethod.MemberCard) });
        command.Parameters.Add(new() { Value = amountFen });
        command.Parameters.Add(new() { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)takenBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return groupCommit.WriteWithStateAsync([command], writeState);
    }

    /// <summary>
    /// Between two instants, per staff member who moved the money (<see cref="TakenBy"/>): the top-ups, the marked (cash)
    /// payments and the refunds, each kind's shares most money first and at most <see cref="MaxTakersPerDay"/> of them;
    /// rows that name no one are left out.
    /// </summary>
    public Task<IReadOnlyList<(string Kind, string TakenBy, int Count, long AmountFen)>> ByTakerAsync(string merchantId, DateTimeOffset from, DateTimeOffset to) =>
        Platform.DataSourceQueries.ReadRowsAsync(dataSource, """
            SELECT kind, taken_by, count, amount_fen FROM (
                SELECT kind, taken_by, count(*)::integer AS count, sum(amount_fen)::bigint AS amount_fen,
                       row_number() OVER (PARTITION BY kind ORDER BY sum(amount_fen) DESC, taken_by) AS place
                  FROM merchant_takings
                 WHERE merchant_id = $1 AND at >= $2 AND at < $3 AND taken_by IS NOT NULL
                   AND (kind = $4 OR kind = $5 OR (kind = $6 AND method = $7))
                 GROUP BY kind, taken_by) shares
             WHERE place <= $8 ORDER BY kind, place
            """,
            reader => (reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)),
            merchantId, from, to, TopUp, Refund, Payment, MethodName(PaymentMethod.Marked), MaxTakersPerDay);

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
