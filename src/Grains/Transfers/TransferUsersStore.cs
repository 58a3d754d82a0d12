using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Transfers;

/// <summary>The users a business transfer concerns (P3.2): told when, objected when, settled (handed over or left out) when.</summary>
public sealed class TransferUsersStore(NpgsqlDataSource dataSource)
{
    /// <summary>P3.2: each user hears of a transfer at least this long before their data moves.</summary>
    private static readonly TimeSpan NoticePeriod = TimeSpan.FromDays(ITransferGrain.MinimumNoticeDays);

    // P3.2 (*reviewer*): a user told late keeps their 30 days to the end of the UTC day their notice names (UtcDays), as the
    // transfer's own date does: cut at the minute they were told, it closed hours before the day the notice gave.
    private static readonly string OwnPeriodEnd =
        $"(date_trunc('day', notified_at + interval '{ITransferGrain.MinimumNoticeDays} days', 'UTC') + interval '1 day')";

    private static DateTimeOffset OwnPeriodEndOf(DateTimeOffset toldAt) => UtcDays.EndOfDay(toldAt + NoticePeriod);

    /// <summary>Lists the merchant's customers under the transfer, each once; the merchant is kept on every row.</summary>
    public async Task AddAsync(string transferId, string merchantId, IEnumerable<string> userIds)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO transfer_users (transfer_id, user_id, merchant_id) SELECT $1, unnest($3::text[]), $2
                ON CONFLICT (transfer_id, user_id) DO UPDATE SET merchant_id = coalesce(transfer_users.merchant_id, excluded.merchant_id)
            """);
        command.Parameters.Add(new() { Value = transferId });
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = userIds.ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The merchants that handed the user over to a successor (not those the user objected to, which erased
    /// instead): they kept what their own systems held, so the user's later rights reach them too (P3.1, P3.2).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> MerchantsThatHandedOverAsync(string userId)
    {
        // Each merchant with the orders it handed over, across transfers (none recorded for hand-overs before they were);
        // from the moment they are recorded, before they move: settled only after, a request filed meanwhile told the merchant
        // none of them, as the order index names the successor by then.
        var rows = await dataSource.ReadRowsAsync(
            """
            SELECT merchant_id, coalesce(handed_over_order_ids, '{}') FROM transfer_users
             WHERE user_id = $1 AND objected_at IS NULL AND (settled_at IS NOT NULL OR handed_over_order_ids IS NOT NULL) AND merchant_id IS NOT NULL
             ORDER BY merchant_id
            """,
            reader => (MerchantId: reader.GetString(0), OrderIds: reader.GetFieldValue<string[]>(1)),
            userId);
        return rows.GroupBy(row => row.MerchantId, StringComparer.Ordinal).ToDictionary(
            merchant => merchant.Key,
            IReadOnlyList<string> (merchant) => [.. merchant.SelectMany(row => row.OrderIds).Distinct(StringComparer.Ordinal)],
            StringComparer.Ordinal);
    }

    /// <summary>
    /// The merchants whose transfer the user objected to that never confirmed the notice of the objection (its
    /// <c>customer.redact</c> failed, waits, or went unanswered): their own systems may still hold what the objection erased
    /// on the platform, so the user's later cancellation reaches them too (P3.1, P3.2). One that confirmed hears nothing more.
    /// </summary>
    public Task<IReadOnlyList<string>> MerchantsUnconfirmedOfObjectionAsync(string userId) => dataSource.ReadRowsAsync(
        """
        SELECT DISTINCT t.merchant_id FROM transfer_users t
          JOIN request_recipients r ON r.request_id = t.objection_cause_id AND r.recipient = t.merchant_id AND r.recipient_kind = 'Merchant'
         WHERE t.user_id = $1 AND t.objection_cause_id IS NOT NULL AND t.merchant_id IS NOT NULL AND r.confirmed_at IS NULL
         ORDER BY t.merchant_id
        """,
        reader => reader.GetString(0),
        userId);

    /// <summary>
    /// Records the orders the transfer hands over for the user, before they move; a retry keeps what the first recorded,
    /// when none had moved yet.
    /// </summary>
    public async Task RecordHandedOverOrdersAsync(string transferId, string userId, IReadOnlyList<string> orderIds)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE transfer_users SET handed_over_order_ids = $3 WHERE transfer_id = $1 AND user_id = $2 AND handed_over_order_ids IS NULL");
        command.Parameters.Add(new() { Value = transferId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = orderIds.ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// At the user's cancellation (P4.1): their rows keep what each transfer did (told, objected, handed over) under an id
    /// that names no one, without the orders handed over, which would join the anonymized orders back to a person. Marked
    /// told and settled: a transfer still under way has no one left to tell or hand over. Returns how many rows.
    /// </summary>
    /// <remarks>Run after the request told its recipients, which reads the merchants that handed the user over from here.</remarks>
    public async Task<int> PseudonymizeAsync(string userId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE transfer_users
               SET user_id = 'anon_' || md5(transfer_id || user_id || gen_random_uuid()::text), handed_over_order_ids = NULL,
                   notified_at = coalesce(notified_at, $2), settled_at = coalesce(settled_at, $2)
             WHERE user_id = $1
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// P8.1, P3.2: the business transfers that concerned the user, for their access export: which merchant's, when they
    /// were told, whether they objected, when it was settled for them, and the orders handed over; oldest first.
    /// </summary>
    public Task<IReadOnlyList<UserTransfer>> OfUserAsync(string userId, int limit) =>
        dataSource.ReadRowsAsync(
            """
            SELECT transfer_id, merchant_id, notified_at, objected_at, settled_at, handed_over_order_ids FROM transfer_users
             WHERE user_id = $1 ORDER BY transfer_id LIMIT $2
            """,
            reader => new UserTransfer(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? [] : reader.GetFieldValue<string[]>(5)),
            userId, limit);

    /// <summary>Up to <paramref name="limit"/> users not yet told of the transfer, in id order (a batch).</summary>
    public Task<IReadOnlyList<string>> UntoldAsync(string transferId, int limit) =>
        dataSource.ReadStringsAsync(
            "SELECT user_id FROM transfer_users WHERE transfer_id = $1 AND notified_at IS NULL ORDER BY user_id LIMIT $2", transferId, limit);

    public Task MarkToldAsync(string transferId, string userId, DateTimeOffset now) =>
        ExecuteAsync("UPDATE transfer_users SET notified_at = coalesce(notified_at, $3) WHERE transfer_id = $1 AND user_id = $2", transferId, userId, now);

    public async Task<int> CountAsync(string transferId) =>
        (await dataSource.ReadRowsAsync("SELECT count(*)::integer FROM transfer_users WHERE transfer_id = $1", reader => reader.GetInt32(0), transferId))[0];

    /// <summary>
    /// Records the user's objection, with the cause its erasure notice is listed under (support's chase list reads the
    /// transfer and the user back from it), while the user's own notice period runs (<see cref="TransferObjectionOutcome"/>).
    /// </summary>
    /// <remarks>
    /// P3.2: a user's period ends at the transfer's date or 30 days after they were told, whichever is later; a user not yet
    /// handed over, told late (their inbox failing for days), still has their 30 days.
    /// </remarks>
    public async Task<ObjectionAnswer> ObjectAsync(string transferId, string userId, DateTimeOffset now, DateTimeOffset effectiveAt)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE transfer_users SET objected_at = coalesce(objected_at, $3), objection_cause_id = $4
             WHERE transfer_id = $1 AND user_id = $2 AND settled_at IS NULL AND ($3 < $5 OR notified_at IS NULL OR $3 < {OwnPeriodEnd})
            RETURNING notified_at
            """);
        command.Parameters.Add(new() { Value = transferId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = TransferObjections.CauseId(transferId, userId) });
        command.Parameters.Add(new() { Value = effectiveAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync())
            {
                // The user's own date: the transfer's, or 30 days after they were told when that is later (not yet told:
                // their period has not begun, and their notice will name it).
                var toldAt = reader.IsDBNull(0) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(0);
                var theirs = toldAt is { } told && OwnPeriodEndOf(told) > effectiveAt ? OwnPeriodEndOf(told) : effectiveAt;
                return new ObjectionAnswer(TransferObjectionOutcome.Recorded, theirs);
            }
        }

        var concerned = await dataSource.ReadRowsAsync(
            "SELECT 1 FROM transfer_users WHERE transfer_id = $1 AND user_id = $2", reader => reader.GetInt32(0), transferId, userId);
        return new ObjectionAnswer(concerned.Count > 0 ? TransferObjectionOutcome.PeriodOver : TransferObjectionOutcome.NotConcerned, null);
    }

    /// <summary>
    /// The users due to be settled after <paramref name="after"/> (by id; empty: from the first), up to <paramref name="limit"/>:
    /// objectors, and users told at least 30 days before <paramref name="now"/> (P3.2: a user told late keeps their 30 days).
    /// </summary>
    public Task<IReadOnlyList<(string UserId, bool Objected)>> DueAsync(string transferId, string after, int limit, DateTimeOffset now) =>
        dataSource.ReadRowsAsync(
            $"""
            SELECT user_id, objected_at IS NOT NULL FROM transfer_users
             WHERE transfer_id = $1 AND settled_at IS NULL AND user_id > $2 AND (objected_at IS NOT NULL OR {OwnPeriodEnd} <= $4)
             ORDER BY user_id LIMIT $3
            """,
            reader => (reader.GetString(0), reader.GetBoolean(1)),
            transferId, after, limit, now);

    /// <summary>
    /// Whether anyone is left unsettled, and when the earliest of them falls due: null while one of them is still untold
    /// (whose period has not begun).
    /// </summary>
    public async Task<(bool Any, DateTimeOffset? NextDueAt)> UnsettledAsync(string transferId)
    {
        var row = (await dataSource.ReadRowsAsync(
            """
            SELECT count(*)::integer, bool_or(notified_at IS NULL AND objected_at IS NULL), min(notified_at) FILTER (WHERE objected_at IS NULL)
              FROM transfer_users WHERE transfer_id = $1 AND settled_at IS NULL
            """,
            reader => (Count: reader.GetInt32(0), Untold: !reader.IsDBNull(1) && reader.GetBoolean(1), Earliest: reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2)),
            transferId))[0];
        return (row.Count > 0, row.Untold ? null : row.Earliest is { } earliest ? OwnPeriodEndOf(earliest) : null);
    }

    /// <summary>The user is handed over or left out; the merchant is named again for rows listed before it was kept.</summary>
    public async Task MarkSettledAsync(string transferId, string merchantId, string userId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE transfer_users SET settled_at = coalesce(settled_at, $3), merchant_id = coalesce(merchant_id, $4)
             WHERE transfer_id = $1 AND user_id = $2
            """);
        command.Parameters.Add(new() { Value = transferId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = merchantId });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<int> ExecuteAsync(string sql, string transferId, string userId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = transferId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }
}

/// <summary>How a user's objection to a transfer went, and, when recorded, the user's own date.</summary>
public sealed record ObjectionAnswer(TransferObjectionOutcome Outcome, DateTimeOffset? TheirDate);

/// <summary>How a user's objection to a transfer went.</summary>
public enum TransferObjectionOutcome
{
    Recorded,

    /// <summary>The transfer does not concern the user.</summary>
    NotConcerned,

    /// <summary>The user's notice period is over, or their data has already moved (or been left out).</summary>
    PeriodOver,
}

/// <summary>A business transfer as it concerned one user (their access export).</summary>
public sealed record UserTransfer(
    string TransferId, string? MerchantId, DateTimeOffset? NotifiedAt, DateTimeOffset? ObjectedAt, DateTimeOffset? SettledAt, IReadOnlyList<string> HandedOverOrderIds);
