using System.Runtime.CompilerServices;
using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Orders;

/// <summary>
/// The order listings (P1.4): one row per order in a table indexed by merchant and by user, newest
/// first, paged by keyset cursor. No grain's state grows with the orders a merchant ever took, and a
/// page costs the same at a million orders as at a hundred. A row names its user only by pseudonym and
/// sealed (A.2, <see cref="OrderCustomerRefs"/>); rows written before that (<c>user_id</c> in clear) are
/// rewritten so when their user's orders are next looked up, or by the silo's backfill at start.
/// </summary>
public sealed class OrderIndexStore(NpgsqlDataSource dataSource, OrderCustomerRefs customers, GroupCommit groupCommit, TimeProvider clock)
{
    /// <summary>Writes the order's listing row (its user, total and status as they are now).</summary>
    public async Task UpsertAsync(string orderId, OrderState order) =>
        await groupCommit.WriteAsync([await IndexRowAsync(orderId, order)]);

    /// <summary>
    /// Writes the listing row and records the order's lines for analytics (no personal data); idempotent,
    /// so a retried placement adds no second set of facts.
    /// </summary>
    /// <remarks>
    /// One unit of a group commit: the row and the facts are written together or not at all, in the same
    /// commit as the listings of the orders placed at the same moment.
    /// </remarks>
    public async Task UpsertWithLineFactsAsync(string orderId, OrderState order) =>
        await groupCommit.WriteAsync(await ListingWithLineFactsAsync(orderId, order));

    /// <summary>
    /// Runs <paramref name="writeState"/>, the new order's state write, with its listing row and line facts in the same
    /// unit: the order, its listing and its facts are durable together or not at all, in one commit.
    /// </summary>
    public async Task WriteWithPlacedStateAsync(string orderId, OrderState order, Func<Task> writeState) =>
        await groupCommit.WriteWithStateAsync(await ListingWithLineFactsAsync(orderId, order), writeState);

    private async Task<IReadOnlyList<NpgsqlBatchCommand>> ListingWithLineFactsAsync(string orderId, OrderState order) =>
        [await IndexRowAsync(orderId, order), LineFacts(orderId, order)];

    private async Task<NpgsqlBatchCommand> IndexRowAsync(string orderId, OrderState order)
    {
        var (userRef, sealedUserId) = await customers.ForAsync(order.UserId);
        var command = new NpgsqlBatchCommand("""
            INSERT INTO order_index (order_id, merchant_id, user_ref, sealed_user_id, created_at, total_fen, status, delivery_address_erasure_due_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (order_id) DO UPDATE SET merchant_id = excluded.merchant_id, user_id = NULL, user_ref = excluded.user_ref, sealed_user_id = excluded.sealed_user_id,
                total_fen = excluded.total_fen, status = excluded.status, delivery_address_erasure_due_at = excluded.delivery_address_erasure_due_at
            """);
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = order.MerchantId });
        command.Parameters.Add(new() { Value = (object?)userRef ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)sealedUserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = order.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = order.TotalFen });
        command.Parameters.Add(new() { Value = order.Status.ToString() });
        command.Parameters.Add(new() { Value = (object?)order.DeliveryAddressErasureDueAt(clock.GetUtcNow()) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
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
        PageAsync("merchant_id", merchantId, After(cursor), limit);

    public async Task<OrderPage> PageByUserAsync(string userId, string? cursor, int limit)
    {
        var after = After(cursor);
        // Without a key the user has no pseudonym, and so no orders that can be found. Only the first page rewrites
        // rows from before pseudonymization (the silo's backfill does the rest): paging on reads, writes nothing.
        var userRef = cursor is null ? await PseudonymizeLegacyRowsAsync(userId) : await customers.PseudonymAsync(userId);
        return userRef is not null
            ? await PageAsync("user_ref", userRef, after, limit)
            : new OrderPage([], null);
    }

    /// <summary>Every order id of the user (for export and erasure), rows not yet pseudonymized included.</summary>
    public async Task<IReadOnlyList<string>> OrderIdsOfUserAsync(string userId) =>
        await dataSource.ReadStringsAsync(
            "SELECT order_id FROM order_index WHERE user_ref = $1 OR user_id = $2 ORDER BY created_at", await PseudonymizeLegacyRowsAsync(userId) ?? "", userId);

    /// <summary>
    /// Every order id of the user, oldest first, read <paramref name="idsPerRead"/> at a time by the index's key
    /// (the access bundle, which holds every order but never all at once: P4.4); rows not yet pseudonymized included.
    /// </summary>
    public async IAsyncEnumerable<string> ReadOrderIdsOfUserAsync(string userId, int idsPerRead, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string OfUser = "SELECT order_id, created_at FROM order_index WHERE (user_ref = $1 OR user_id = $2)";
        const string Page = " ORDER BY created_at, order_id LIMIT $3";
        var userRef = await PseudonymizeLegacyRowsAsync(userId) ?? "";
        (string OrderId, DateTimeOffset CreatedAt)? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = await dataSource.ReadRowsAsync(
                after is null ? OfUser + Page : OfUser + " AND (created_at, order_id) > ($4, $5)" + Page,
                reader => (OrderId: reader.GetString(0), CreatedAt: reader.GetFieldValue<DateTimeOffset>(1)),
                after is { } last ? [userRef, userId, idsPerRead, last.CreatedAt, last.OrderId] : [userRef, userId, idsPerRead]);
            foreach (var row in rows)
            {
                yield return row.OrderId;
            }

            if (rows.Count < idsPerRead)
            {
                yield break;
            }

            after = rows[^1];
        }
    }

    /// <summary>Every order id of the user grouped by the merchant that holds it, oldest first (who a request or a transfer reaches).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> OrderIdsOfUserByMerchantAsync(string userId)
    {
        var rows = await dataSource.ReadRowsAsync(
            "SELECT merchant_id, order_id FROM order_index WHERE user_ref = $1 OR user_id = $2 ORDER BY created_at",
            reader => (Merchant: reader.GetString(0), Order: reader.GetString(1)),
            await PseudonymizeLegacyRowsAsync(userId) ?? "", userId);
        return rows.GroupBy(row => row.Merchant).ToDictionary(group => group.Key, group => (IReadOnlyList<string>)[.. group.Select(row => row.Order)]);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> of the merchant's orders that still name a user, newest first, after the
    /// <see cref="OrderCursor"/> <paramref name="after"/> (null: from the newest), with their user: a termination
    /// walks a merchant's customers a batch at a time (P4.3, P4.4).
    /// </summary>
    public async Task<IReadOnlyList<(string OrderId, DateTimeOffset CreatedAt, string UserId)>> CustomerOrdersOfMerchantAsync(
        string merchantId, string? after, int limit)
    {
        var from = After(after);
        await using var command = dataSource.CreateCommand("""
            SELECT order_id, created_at, user_id, sealed_user_id FROM order_index
             WHERE merchant_id = $1 AND (user_ref IS NOT NULL OR user_id IS NOT NULL)
               AND ($2::timestamptz IS NULL OR (created_at, order_id) < ($2, $3))
             ORDER BY created_at DESC, order_id DESC
             LIMIT $4
            """);
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = (object?)from?.CreatedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = from?.OrderId ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        var rows = new List<(string OrderId, DateTimeOffset CreatedAt, string? UserId, byte[]? SealedUserId)>(limit);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3)));
            }
        }

        var orders = new List<(string, DateTimeOffset, string)>(rows.Count);
        foreach (var (orderId, createdAt, userId, sealedUserId) in rows)
        {
            orders.Add((orderId, createdAt, userId ?? await customers.OpenAsync(sealedUserId!)));
        }

        return orders;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> orders whose owed erasure of their delivery address fell due by <paramref name="now"/>,
    /// the longest due first (<see cref="OrderState.DeliveryAddressErasureDueAt"/>), after the row <paramref name="after"/>
    /// (null: from the first), with their due time as the next page's key: the retention sweep erases them (P3.1, P4.1).
    /// </summary>
    public async Task<IReadOnlyList<(string OrderId, DateTimeOffset DueAt)>> OwingDeliveryAddressErasureAsync(
        DateTimeOffset now, (string OrderId, DateTimeOffset DueAt)? after, int limit)
    {
        const string Due = "SELECT order_id, delivery_address_erasure_due_at FROM order_index WHERE delivery_address_erasure_due_at <= $1";
        const string Page = " ORDER BY delivery_address_erasure_due_at, order_id LIMIT $2";
        return await dataSource.ReadRowsAsync(
            after is null ? Due + Page : Due + " AND (delivery_address_erasure_due_at, order_id) > ($3, $4)" + Page,
            reader => (OrderId: reader.GetString(0), DueAt: reader.GetFieldValue<DateTimeOffset>(1)),
            after is { } last ? [now, limit, last.DueAt, last.OrderId] : [now, limit]);
    }

    /// <summary>Whether any listing row still leads to the user (what the cancellation's verification asks).</summary>
    public async Task<bool> AnyOfUserAsync(string userId) =>
        (await dataSource.ReadStringsAsync(
            "SELECT order_id FROM order_index WHERE user_ref = $1 OR user_id = $2 LIMIT 1", await customers.PseudonymAsync(userId) ?? "", userId)).Count > 0;

    /// <summary>
    /// Rewrites the user's rows written before pseudonymization (user id in clear) with pseudonym and sealed
    /// id; returns the pseudonym, or null when the user has no key (their rows stay as they are, found by user id).
    /// </summary>
    public async Task<string?> PseudonymizeLegacyRowsAsync(string userId)
    {
        if (await customers.PseudonymAsync(userId) is not { } userRef)
        {
            return null;
        }

        // The partial index on user_id holds only rows not yet rewritten: once none is left this finds nothing at once.
        await using var command = dataSource.CreateCommand(
            "UPDATE order_index SET user_ref = $2, sealed_user_id = $3, user_id = NULL WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = userRef });
        command.Parameters.Add(new() { Value = await customers.SealAsync(userId) });
        await command.ExecuteNonQueryAsync();
        return userRef;
    }

    /// <summary>A batch of users with rows not yet pseudonymized, after <paramref name="afterUserId"/> in id order.</summary>
    public Task<IReadOnlyList<string>> UsersWithLegacyRowsAsync(string afterUserId, int limit) =>
        dataSource.ReadStringsAsync(
            "SELECT DISTINCT user_id FROM order_index WHERE user_id IS NOT NULL AND user_id > $1 ORDER BY user_id LIMIT $2", afterUserId, limit);

    private async Task<OrderPage> PageAsync(string ownerColumn, string ownerId, (DateTimeOffset CreatedAt, string OrderId)? after, int limit)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT order_id, merchant_id, user_id, sealed_user_id, created_at, total_fen, status FROM order_index
             WHERE {ownerColumn} = $1 AND ($2::timestamptz IS NULL OR (created_at, order_id) < ($2, $3))
             ORDER BY created_at DESC, order_id DESC
             LIMIT $4
            """);
        command.Parameters.Add(new() { Value = ownerId });
        command.Parameters.Add(new() { Value = (object?)after?.CreatedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = after?.OrderId ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit + 1 });
        var rows = new List<(OrderSummary Summary, byte[]? SealedUserId)>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((new OrderSummary(
                    reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt64(5), Enum.Parse<OrderStatus>(reader.GetString(6))),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3)));
            }
        }

        var items = new List<OrderSummary>(rows.Count);
        foreach (var (summary, sealedUserId) in rows.Take(limit))
        {
            items.Add(sealedUserId is null ? summary : summary with { UserId = await customers.OpenAsync(sealedUserId) });
        }

        if (rows.Count <= limit)
        {
            return new OrderPage(items, null);
        }

        var last = items[^1];
        return new OrderPage(items, OrderCursor.Encode(last.CreatedAt, last.OrderId));
    }

    private static (DateTimeOffset CreatedAt, string OrderId)? After(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? null
        : OrderCursor.TryDecode(cursor, out var createdAt, out var orderId) ? (createdAt, orderId)
        : throw DomainException.InvalidField("cursor", "invalid-cursor", "The cursor is not one this API gave out.");
}
