using Npgsql;

namespace MeiLing.Grains.Analytics;

[StatelessWorker]
internal sealed class AnalyticsGrain(NpgsqlDataSource dataSource) : Grain, IAnalyticsGrain
{
    private const int MaxDays = 366;

    async Task<SalesExport> IAnalyticsGrain.ExportSales(DateOnly from, DateOnly to)
    {
        if (to < from || to.DayNumber - from.DayNumber >= MaxDays)
        {
            throw DomainException.InvalidField("to", "invalid-period", $"Exports cover 1 to {MaxDays} days.");
        }

        // P1.13: only known customers count toward the group size. An anonymized order's customer is
        // unknown and may be the same person as every other one in the group: counting each as a customer
        // of its own would let one cancelled user's five orders pass for five customers. Their sales still count.
        // A customer is known by their pseudonym (A.2), or by a row's user id not yet rewritten as one.
        await using var command = dataSource.CreateCommand("""
            SELECT f.merchant_id, f.day, f.sku, f.region,
                   count(DISTINCT f.order_id) AS orders,
                   sum(f.quantity) AS quantity,
                   sum(f.amount_fen) AS sales_fen,
                   count(DISTINCT coalesce(o.user_ref, o.user_id)) AS customers
              FROM order_line_facts f
              JOIN order_index o ON o.order_id = f.order_id
             WHERE f.day BETWEEN $1 AND $2 AND o.status IN ('Paid', 'Fulfilled')
             GROUP BY f.merchant_id, f.day, f.sku, f.region
             ORDER BY f.day, f.merchant_id, f.sku
             LIMIT $3
            """);
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        // One row beyond the bound tells a period that holds too many from one that holds exactly as many.
        command.Parameters.Add(new() { Value = IAnalyticsGrain.MaxGroups + 1 });
        var groups = new List<SalesGroup>();
        var aliases = new Dictionary<string, string>();
        var suppressed = 0;
        await using var reader = await command.ExecuteReaderAsync();
        var read = 0;
        while (await reader.ReadAsync())
        {
            // P4.4: the export holds at most so many groups; beyond them nothing is returned, not a part that reads as the whole.
            if (++read > IAnalyticsGrain.MaxGroups)
            {
                throw DomainException.InvalidField("to", "export-too-large",
                    $"This period holds more than {IAnalyticsGrain.MaxGroups} groups; export a shorter one (from, to).");
            }

            if (reader.GetInt64(7) < IAnalyticsGrain.MinimumGroupSize)
            {
                suppressed++;
                continue;
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
                (int)reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return new SalesExport(IAnalyticsGrain.MinimumGroupSize, groups, suppressed);
    }
}
