using MeiLing.Grains.Consents;
using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Disclosures;

/// <summary>The disclosure ledger (P3.1): one append-only row per hand-over of a user's data.</summary>
public sealed class DisclosureLedgerStore(NpgsqlDataSource dataSource, GroupCommit groupCommit)
{
    /// <summary>Appends one hand-over; a unit of a <see cref="GroupCommit"/>, durable when this returns.</summary>
    public async Task AppendAsync(string userId, DisclosureRecord record)
    {
        // P4.4: the same hand-over recorded within the day is not recorded again. The user grain remembers its own lately
        // (RecentDisclosures); this holds across its activations, which a till reading an order every 16 minutes saw
        // collected and come back with nothing remembered, a row a read. One probe of the user's last day of rows.
        var command = new NpgsqlBatchCommand("""
            INSERT INTO user_disclosures (user_id, at, recipient, recipient_kind, fields, purpose, basis, consent_receipt_id, document_reference, note, order_id)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
            WHERE NOT EXISTS (
                SELECT 1 FROM user_disclosures
                 WHERE user_id = $1 AND at > $2 - interval '24 hours' AND recipient = $3 AND recipient_kind = $4 AND fields = $5
                   AND purpose = $6 AND basis = $7 AND consent_receipt_id IS NOT DISTINCT FROM $8
                   AND document_reference IS NOT DISTINCT FROM $9 AND note IS NOT DISTINCT FROM $10 AND order_id IS NOT DISTINCT FROM $11)
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = record.At, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = record.Recipient });
        command.Parameters.Add(new() { Value = record.RecipientKind.ToString() });
        command.Parameters.Add(new() { Value = record.Fields.ToArray() });
        command.Parameters.Add(new() { Value = record.Purpose });
        command.Parameters.Add(new() { Value = record.Basis.ToString() });
        command.Parameters.Add(new() { Value = (object?)record.ConsentReceiptId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)record.DocumentReference ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)record.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)record.OrderId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await groupCommit.WriteAsync([command]);
    }

    /// <summary>
    /// The newest hand-overs as the user reads them (their ledger, the privacy center, support on their behalf, the
    /// export), without a legal demand the user may not be told of (P3.3: <c>notifyUser: false</c>, where the law forbids
    /// telling the user): its row stays in the ledger and the demand on the operators' review list, but showing the
    /// authority, the document type and its reference to the user would tell them what the demand kept from them.
    /// </summary>
    public async Task<IReadOnlyList<DisclosureRecord>> ListAsync(string userId, int limit) =>
        [.. (await dataSource.ReadRowsAsync(ShownQuery("", "$2"), ReadShown, userId, limit)).Select(row => row.Record)];

    /// <summary>
    /// A page of what <see cref="ListAsync"/> shows, newest first: at most <paramref name="limit"/> hand-overs before
    /// <paramref name="before"/> (from the newest when null). A page ends on a whole instant, so the next page, the
    /// hand-overs before the last instant shown, misses none that share it; an instant with more than a page's worth
    /// is shown whole.
    /// </summary>
    public async Task<DisclosurePage> PageAsync(string userId, DateTimeOffset? before, int limit)
    {
        var rows = await dataSource.ReadRowsAsync(
            ShownQuery(before is null ? "" : " AND d.at < $3", "$2"), ReadShown, before is { } at ? [userId, limit + 1, at] : [userId, limit + 1]);
        if (rows.Count <= limit)
        {
            return new DisclosurePage([.. rows.Select(row => row.Record)], null);
        }

        var spilling = rows[limit].At;
        IReadOnlyList<(DateTimeOffset At, DisclosureRecord Record)> whole = [.. rows.Take(limit).TakeWhile(row => row.At != spilling)];
        if (whole.Count == 0)
        {
            whole = await dataSource.ReadRowsAsync(ShownQuery(" AND d.at = $3", "$2"), ReadShown, userId, int.MaxValue, spilling);
        }

        return new DisclosurePage([.. whole.Select(row => row.Record)], whole[^1].At);
    }

    /// <summary>
    /// Every hand-over <see cref="ListAsync"/> shows, newest first, read <paramref name="rowsPerRead"/> at a time (the
    /// access bundle, which holds them all but never at once: P4.4).
    /// </summary>
    public IAsyncEnumerable<DisclosureRecord> ReadAllAsync(string userId, int rowsPerRead, CancellationToken cancellationToken = default) =>
        NewestFirstPages.ReadAsync(
            bound => dataSource.ReadRowsAsync(ShownQuery(bound.Condition("d.at"), "$2"), ReadShown, bound.Parameters(userId)),
            rowsPerRead, cancellationToken);

    // The user's hand-overs as the user may see them ($1), newest first: a legal demand the user may not be told of is left out.
    private static string ShownQuery(string condition, string limit) => $"""
        SELECT d.recipient, d.recipient_kind, d.fields, d.purpose, d.basis, d.at, d.consent_receipt_id, d.document_reference, d.note, d.order_id
          FROM user_disclosures d
         WHERE d.user_id = $1{condition}
           AND NOT (d.recipient_kind = 'LegalAuthority' AND EXISTS (
               SELECT 1 FROM legal_disclosures l
                WHERE l.user_id = d.user_id AND NOT l.user_notified
                  AND l.authority = d.recipient AND l.document_reference = d.document_reference))
         ORDER BY d.at DESC LIMIT {limit}
        """;

    private static (DateTimeOffset At, DisclosureRecord Record) ReadShown(NpgsqlDataReader reader)
    {
        var at = reader.GetFieldValue<DateTimeOffset>(5);
        return (at, new DisclosureRecord(
            reader.GetString(0),
            Enum.Parse<RecipientKind>(reader.GetString(1)),
            reader.GetFieldValue<string[]>(2),
            reader.GetString(3),
            Enum.Parse<LawfulBasis>(reader.GetString(4)),
            at,
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9)));
    }

    /// <summary>Every party outside the platform that received the user's data, with the fields each received (issue 14: who hears of a request).</summary>
    public async Task<IReadOnlyList<(string Recipient, RecipientKind Kind, IReadOnlyList<string> Fields)>> RecipientsAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT recipient, recipient_kind, array_agg(DISTINCT field ORDER BY field)
              FROM user_disclosures, unnest(fields) AS field
             WHERE user_id = $1 GROUP BY recipient, recipient_kind ORDER BY recipient
            """);
        command.Parameters.Add(new() { Value = userId });
        var recipients = new List<(string, RecipientKind, IReadOnlyList<string>)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            recipients.Add((reader.GetString(0), Enum.Parse<RecipientKind>(reader.GetString(1)), reader.GetFieldValue<string[]>(2)));
        }

        return recipients;
    }

    /// <summary>
    /// The orders each party received this user's data for, as the ledger recorded them (hand-overs recorded before orders
    /// were named have none): the user's own hand-overs only, so never another user's order.
    /// </summary>
    public async Task<Dictionary<(string Recipient, RecipientKind Kind), IReadOnlyList<string>>> OrderIdsByRecipientAsync(string userId) =>
        (await dataSource.ReadRowsAsync(
            """
            SELECT recipient, recipient_kind, array_agg(DISTINCT order_id ORDER BY order_id)
              FROM user_disclosures WHERE user_id = $1 AND order_id IS NOT NULL GROUP BY recipient, recipient_kind
            """,
            reader => (Key: (reader.GetString(0), Enum.Parse<RecipientKind>(reader.GetString(1))), OrderIds: (IReadOnlyList<string>)reader.GetFieldValue<string[]>(2)),
            userId))
        .ToDictionary(row => row.Key, row => row.OrderIds);

    /// <summary>The payment and delivery partners the ledger names for one of the user's orders: those that keep it by its id.</summary>
    public Task<IReadOnlyList<(string Recipient, RecipientKind Kind)>> PartnersOfOrderAsync(string userId, string orderId) =>
        dataSource.ReadRowsAsync(
            $"""
            SELECT DISTINCT recipient, recipient_kind FROM user_disclosures
             WHERE user_id = $1 AND order_id = $2 AND recipient_kind IN ('{nameof(RecipientKind.PaymentPartner)}', '{nameof(RecipientKind.DeliveryPartner)}')
             ORDER BY recipient, recipient_kind
            """,
            reader => (reader.GetString(0), Enum.Parse<RecipientKind>(reader.GetString(1))),
            userId, orderId);

    /// <summary>
    /// The parties that received the user's data with a grant of <paramref name="purpose"/> as their basis: those a
    /// withdrawal of it concerns (P1.10, P3.1).
    /// </summary>
    public Task<IReadOnlyList<(string Recipient, RecipientKind Kind)>> RecipientsUnderConsentAsync(string userId, ConsentPurpose purpose) =>
        dataSource.ReadRowsAsync(
            """
            SELECT DISTINCT d.recipient, d.recipient_kind FROM user_disclosures d
              JOIN consent_receipts r ON r.receipt_id = d.consent_receipt_id
             WHERE d.user_id = $1 AND d.basis = 'Consent' AND r.purpose = $2 AND r.granted
             ORDER BY d.recipient_kind, d.recipient
            """,
            reader => (reader.GetString(0), Enum.Parse<RecipientKind>(reader.GetString(1))),
            userId, ConsentPurposes.Name(purpose));

    /// <summary>The purposes whose grants some party received the user's data under.</summary>
    public async Task<IReadOnlyList<ConsentPurpose>> PurposesUnderConsentAsync(string userId) =>
        [.. (await dataSource.ReadRowsAsync(
            """
            SELECT DISTINCT r.purpose FROM user_disclosures d
              JOIN consent_receipts r ON r.receipt_id = d.consent_receipt_id
             WHERE d.user_id = $1 AND d.basis = 'Consent' AND r.granted
            """,
            reader => ConsentPurposes.TryParse(reader.GetString(0), out var purpose) ? purpose : (ConsentPurpose?)null,
            userId)).OfType<ConsentPurpose>()];

    /// <summary>Whether the ledger already holds this hand-over (a retried step records it once).</summary>
    public async Task<bool> HoldsAsync(string userId, string recipient, string purpose, string? documentReference) =>
        (await dataSource.ReadStringsAsync(
            """
            SELECT recipient FROM user_disclosures
             WHERE user_id = $1 AND recipient = $2 AND purpose = $3 AND document_reference IS NOT DISTINCT FROM $4::text LIMIT 1
            """,
            userId, recipient, purpose, (object?)documentReference ?? DBNull.Value)).Count > 0;

    /// <summary>
    /// Erases the user's hand-overs; the count is of those the user could see (P3.3, *reviewer*): counted whole, the erasure
    /// receipt's figure less the ledger's length told the user of a legal demand withheld from them.
    /// </summary>
    public async Task<int> EraseAsync(string userId) =>
        (await dataSource.ReadRowsAsync("""
            WITH gone AS (DELETE FROM user_disclosures WHERE user_id = $1 RETURNING recipient, recipient_kind, document_reference)
            SELECT count(*)::integer FROM gone g
             WHERE NOT (g.recipient_kind = 'LegalAuthority' AND EXISTS (
                   SELECT 1 FROM legal_disclosures l
                    WHERE l.user_id = $1 AND NOT l.user_notified
                      AND l.authority = g.recipient AND l.document_reference = g.document_reference))
            """, reader => reader.GetInt32(0), userId))[0];
}
