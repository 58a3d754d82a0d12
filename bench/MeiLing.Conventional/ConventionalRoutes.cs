using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Conventional;

/// <summary>
/// The three routes the comparison loads, the conventional way: every request validates its token,
/// then asks PostgreSQL (prepared statements, one transaction per write). Paths, bodies and status
/// codes follow the platform's contract, so the same wrk scripts drive both.
/// </summary>
public static class ConventionalRoutes
{
    private static readonly HashSet<string> Purposes =
        ["location", "album", "calendar", "personalization", "notifications", "marketing-sharing", "third-party-sources"];

    private static readonly Pong Answer = new("pong", "meiling-conventional");

    public static WebApplication MapConventionalRoutes(this WebApplication app)
    {
        // The HTTP ceiling: a constant, no token, no database.
        app.MapGet("/v1/ping", () => TypedResults.Ok(Answer));
        app.MapGet("/v1/users/{userId}/consents", GetConsents).RequireAuthorization();
        app.MapPut("/v1/users/{userId}/consents/{purpose}", SetConsent).RequireAuthorization();
        app.MapPost("/v1/merchants/{merchantId}/orders", PlaceOrder);
        return app;
    }

    /// <summary>One indexed SELECT (the primary key's prefix).</summary>
    private static async Task<IResult> GetConsents(string userId, ClaimsPrincipal caller, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (caller.FindFirstValue("sub") != userId)
        {
            return TypedResults.NotFound();
        }

        await using var command = database.CreateCommand(
            "SELECT purpose, granted, policy_version, changed_at FROM conv_consents WHERE user_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        var items = new List<ConsentStatus>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new ConsentStatus(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        return TypedResults.Ok(new ConsentPage(items, null));
    }

    /// <summary>The user's current consent (upsert) and an append-only receipt, in one transaction.</summary>
    private static async Task<IResult> SetConsent(
        string userId, string purpose, ConsentRequest request, ClaimsPrincipal caller, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (caller.FindFirstValue("sub") != userId)
        {
            return TypedResults.NotFound();
        }

        if (!Purposes.Contains(purpose) || string.IsNullOrWhiteSpace(request.PolicyVersion) || request.PolicyVersion.Length > 32)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["purpose"] = ["Unknown purpose or policy version."] });
        }

        var receipt = new ConsentReceipt(NewId("rcp_"), purpose, request.Granted, request.PolicyVersion, DateTimeOffset.UtcNow);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO conv_consents (user_id, purpose, granted, policy_version, changed_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (user_id, purpose) DO UPDATE SET granted = EXCLUDED.granted, policy_version = EXCLUDED.policy_version, changed_at = EXCLUDED.changed_at
                """, userId, purpose, request.Granted, request.PolicyVersion, receipt.At));
            var insert = Command(
                "INSERT INTO conv_consent_receipts (receipt_id, user_id, purpose, granted, policy_version, at) VALUES ($1, $2, $3, $4, $5, $6)",
                receipt.ReceiptId, userId, purpose, request.Granted, request.PolicyVersion, receipt.At);
            batch.BatchCommands.Add(insert);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(receipt);
    }

    /// <summary>The merchant's key and the lines' prices in one lookup, then the order row, in one transaction.</summary>
    private static async Task<IResult> PlaceOrder(
        string merchantId, HttpRequest http, PlaceOrderRequest request, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (http.Headers["X-Api-Key"].ToString() is not { Length: > 0 } key)
        {
            return TypedResults.Unauthorized();
        }

        if (string.IsNullOrEmpty(request.UserId) || request.Items is not { Count: > 0 and <= 100 } items
            || items.Any(item => item.Quantity is < 1 or > 1000) || items.DistinctBy(item => item.Sku).Count() != items.Count)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = ["1 to 100 distinct lines of 1 to 1000 each."] });
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var prices = new Dictionary<string, long>(items.Count);
        await using (var lookup = new NpgsqlCommand("""
            SELECT p.sku, p.price_fen FROM conv_products p JOIN conv_merchants m ON m.merchant_id = p.merchant_id
            WHERE p.merchant_id = $1 AND m.key_hash = $2 AND p.sku = ANY($3)
            """, connection, transaction))
        {
            lookup.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
            lookup.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = SHA256.HashData(Encoding.UTF8.GetBytes(key)) });
            lookup.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. items.Select(item => item.Sku)] });
            await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                prices[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        if (prices.Count == 0)
        {
            return TypedResults.Unauthorized();
        }

        if (prices.Count != items.Count)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = ["Unknown product."] });
        }

        var lines = items.Select(item => new OrderLine(item.Sku, item.Quantity, prices[item.Sku])).ToArray();
        var placed = new OrderPlaced(NewId("ord_"), lines.Sum(line => line.UnitPriceFen * line.Quantity), "pending");
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO conv_orders (order_id, merchant_id, user_id, items, total_fen, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = placed.OrderId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.UserId });
            insert.Parameters.Add(new NpgsqlParameter<string>
            {
                TypedValue = JsonSerializer.Serialize(lines, ConventionalJson.Default.OrderLineArray),
                NpgsqlDbType = NpgsqlDbType.Jsonb,
            });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = placed.TotalFen });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = placed.Status });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = DateTimeOffset.UtcNow });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/orders/{placed.OrderId}", placed);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
