using MeiLing.Grains.Orders;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Analytics;

[StatelessWorker]
internal sealed class AnalyticsGrain(NpgsqlDataSource dataSource, TimeProvider clock) : Grain, IAnalyticsGrain
{
    private const int MaxDays = 366;

    /// <summary>
    /// How long after a day ends its orders are left to settle before it is published: an order to be delivered stays
    /// payable for <see cref="OrderState.UnpaidDeliveryWindow"/> (7 days) after its placing, and a partner's charge begun at
    /// that window's end counts once its partner confirms it, within <see cref="OrderState.PartnerConfirmationWindow"/> (15
    /// minutes). An order paid later still (one not to be delivered has no such window, a partner may answer late) stays
    /// out of its day's figures: a day is frozen at its first export, and no later moment would be final for every order.
    /// </summary>
    private static readonly TimeSpan SettlePeriod = OrderState.UnpaidDeliveryWindow + OrderState.PartnerConfirmationWindow;

    private static readonly string SettlePeriodText =
        $"{OrderState.UnpaidDeliveryWindow.TotalDays:0} days and {OrderState.PartnerConfirmationWindow.TotalMinutes:0} minutes";

    async Task<SalesExport> IAnalyticsGrain.ExportSales(DateOnly from, DateOnly to)
    {
        if (to < from || to.DayNumber - from.DayNumber >= MaxDays)
        {
            throw DomainException.InvalidField("to", "invalid-period", $"Exports cover 1 to {MaxDays} days.");
        }

        // *reviewer*: the calendar's first day goes to PostgreSQL as -infinity, which it cannot subtract: every try was 503
        // "retry shortly", retried for ever. Refused as the daily report refuses it.
        if (from == DateOnly.MinValue)
        {
            throw DomainException.InvalidField("from", "invalid-period", $"Exports start on {DateOnly.MinValue.AddDays(1):yyyy-MM-dd} or later.");
        }

        // P1.13, P3.1: a day still open gains orders after an export of it, and the difference between two exports of it
        // was one purchase (merchant, SKU, amount, time window) whatever the group size. Only settled days are published
        // (*reviewer*): a day is frozen at its first export, and one published as soon as it was over left out for good its
        // orders paid later still.
        var lastSettledDay = DateOnly.FromDateTime((clock.GetUtcNow() - SettlePeriod).UtcDateTime).AddDays(-1);
        if (to > lastSettledDay)
        {
            throw DomainException.InvalidField("to", "day-not-settled",
                $"A day is exported once its orders have settled, {SettlePeriodText} after its end (UTC): the last day that can be exported is {lastSettledDay:yyyy-MM-dd}.");
        }

        await PublishNewDaysAsync(from, to);
        return await ReadPublishedAsync(from, to);
    }

    /// <summary>
    /// Stores the figures of the period's days no export has covered yet, as they are now, for good: a refund, a
    /// cancellation or a late payment after that changes no published figure, so two exports of a day never differ by
    /// the one order that changed (P1.13).
    /// </summary>
    private async Task PublishNewDaysAsync(DateOnly from, DateOnly to)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        // A day's row is claimed before its groups are written, in the same transaction: a concurrent export of the same
        // day waits on the row, then finds it taken and reads what this one stored, so a day is published once.
        // Days in ascending order, so two exports of overlapping periods take their rows in the same order.
        var claimed = new List<DateOnly>();
        await using (var claim = new NpgsqlCommand("""
            INSERT INTO analytics_published_days (day, published_at)
            SELECT $1 + offset_days, $3 FROM generate_series(0, $2 - $1) AS offset_days ORDER BY offset_days
            ON CONFLICT (day) DO NOTHING
            RETURNING day
            """, connection, transaction))
        {
            claim.Parameters.Add(new() { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
            claim.Parameters.Add(new() { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
            claim.Parameters.Add(new() { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await claim.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                claimed.Add(reader.GetFieldValue<DateOnly>(0));
            }
        }

        if (claimed.Count == 0)
        {
            return;
        }

        // P1.13: only known customers count toward the group size. An anonymized order's customer is unknown and may be
        // the same person as every other one in the group: counting each as a customer of its own would let one cancelled
        // user's five orders pass for five customers. Their sales still count. A customer is known by their pseudonym
        // (A.2), or by a row's user id not yet rewritten as one.
        // Suppression happens here, not in the silo: a small group is only counted on its day, never stored or read, so a
        // day of many tiny groups (walk-in sales with no known customer) costs an export nothing of its bound (P4.4).
        await using (var publish = new NpgsqlCommand("""
            WITH groups AS MATERIALIZED (
                SELECT f.merchant_id, f.day, f.sku, f.region,
                       count(DISTINCT f.order_id) AS orders,
                       sum(f.quantity) AS quantity,
                       sum(f.amount_fen) AS sales_fen,
                       count(DISTINCT coalesce(o.user_ref, o.user_id)) AS customers
                  FROM order_line_facts f
                  JOIN order_index o ON o.order_id = f.order_id
                 WHERE f.day = ANY($1) AND o.status IN ('Paid', 'Fulfilled')
                 GROUP BY f.merchant_id, f.day, f.sku, f.region
            ), kept AS (
                INSERT INTO analytics_published_groups (day, merchant_id, sku, region, orders, quantity, sales_fen)
                SELECT day, merchant_id, sku, region, orders, quantity, sales_fen FROM groups WHERE customers >= $2
            )
            UPDATE analytics_published_days d SET suppressed_groups = s.groups
              FROM (SELECT day, count(*) AS groups FROM groups WHERE customers < $2 GROUP BY day) s
             WHERE d.day = s.day
            """, connection, transaction))
        {
            publish.Parameters.Add(new() { Value = claimed.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            publish.Parameters.Add(new() { Value = IAnalyticsGrain.MinimumGroupSize });
            await publish.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private async Task<SalesExport> ReadPublishedAsync(DateOnly from, DateOnly to)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT coalesce(sum(suppressed_groups), 0)::integer FROM analytics_published_days WHERE day BETWEEN $1 AND $2")
        {
            Parameters = { new() { Value = from }, new() { Value = to } },
        });
        // One row beyond the bound tells a period that holds too many from one that holds exactly as many.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT merchant_id, day, sku, region, orders, quantity, sales_fen
              FROM analytics_published_groups
             WHERE day BETWEEN $1 AND $2
             ORDER BY day, merchant_id, sku, region
             LIMIT $3
            """)
        {
            Parameters = { new() { Value = from }, new() { Value = to }, new() { Value = IAnalyticsGrain.MaxGroups + 1 } },
        });
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var suppressed = reader.GetInt32(0);
        await reader.NextResultAsync();

        var groups = new List<SalesGroup>();
        var aliases = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            // P4.4: the export holds at most so many groups; beyond them nothing is returned, not a part that reads as the whole.
            if (groups.Count == IAnalyticsGrain.MaxGroups)
            {
                throw DomainException.InvalidField("to", "export-too-large",
                    $"This period holds more than {IAnalyticsGrain.MaxGroups} groups; export a shorter one (from, to).");
            }

            var merchantId = reader.GetString(0);
            if (!aliases.TryGetValue(merchantId, out var alias))
            {
                // Drawn at random for this export: numbered in the order of the merchants' ids, a merchant selling every
                // day had the same alias in every export, a pseudonym that joined them all (P1.13).
                alias = $"merchant-{System.Security.Cryptography.RandomNumberGenerator.GetHexString(12, lowercase: true)}";
                aliases[merchantId] = alias;
            }

            groups.Add(new SalesGroup(
                alias, reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt32(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return new SalesExport(IAnalyticsGrain.MinimumGroupSize, groups, suppressed);
    }
}
