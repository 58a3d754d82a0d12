using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Bench.Scenarios.Commerce;

/// <summary>
/// Fills <c>order_index</c> (the table the merchant listing reads) straight through PostgreSQL COPY:
/// placing 100,000 orders through the API would take longer than the whole run. The rows are listing
/// rows only (no order grain behind them), which is all a listing page reads: created_at spread over the
/// last year, random <c>usr_…</c>-shaped user ids, and the statuses a real shop has.
/// </summary>
public static class OrderIndexSeeder
{
    private static readonly (string Status, int Weight)[] Statuses =
        [("Fulfilled", 70), ("Paid", 10), ("PendingPayment", 8), ("Cancelled", 8), ("Refunded", 4)];

    public static async Task SeedAsync(string postgres, string merchantId, int count, CancellationToken cancellationToken)
    {
        var random = new Random(merchantId.GetHashCode(StringComparison.Ordinal));
        var now = DateTimeOffset.UtcNow;
        var year = TimeSpan.FromDays(365).Ticks;
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY order_index (order_id, merchant_id, user_id, created_at, total_fen, status) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < count; i++)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(EntityId.New(EntityId.OrderPrefix), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(merchantId, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(EntityId.New(EntityId.UserPrefix), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(now.AddTicks(-random.NextInt64(year)), NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(500L + random.Next(20_000), NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(PickStatus(random), NpgsqlDbType.Varchar, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        // Fresh statistics, as autovacuum would give a table this size soon after: the plan is then the one production gets.
        await using var analyze = new NpgsqlCommand("ANALYZE order_index", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string PickStatus(Random random)
    {
        var roll = random.Next(100);
        foreach (var (status, weight) in Statuses)
        {
            if ((roll -= weight) < 0)
            {
                return status;
            }
        }

        return Statuses[0].Status;
    }
}
