using System.Runtime.CompilerServices;
using System.Text;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.Webhooks;

/// <summary>
/// The tables behind webhooks: merchants' endpoints (secrets sealed), the outbox of events on their way to
/// recipients, and which recipients each data-rights request reached. No personal data but ids.
/// </summary>
public sealed class WebhookOutboxStore(NpgsqlDataSource dataSource, GroupCommit groupCommit)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>Why a delivery that was never sent failed: its merchant had no endpoint all the time it could wait for one.</summary>
    public const string NoEndpoint = "no-endpoint";

    /// <summary>Why a delivery stopped before it was delivered: its merchant closed (<see cref="CloseMerchantAsync"/>).</summary>
    public const string MerchantClosed = "merchant-closed";

    public async Task UpsertEndpointAsync(string merchantId, string url, IReadOnlyList<string> events, byte[] sealedSecret, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO merchant_webhooks (merchant_id, url, events, sealed_secret, updated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (merchant_id) DO UPDATE SET url = excluded.url, events = excluded.events,
                sealed_secret = excluded.sealed_secret, updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = url });
        command.Parameters.Add(new() { Value = events.ToArray() });
        command.Parameters.Add(new() { Value = sealedSecret });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> ReplaceSecretAsync(string merchantId, byte[] sealedSecret, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("UPDATE merchant_webhooks SET sealed_secret = $2, updated_at = $3 WHERE merchant_id = $1");
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = sealedSecret });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync() > 0;
    }

    public async Task<StoredEndpoint?> EndpointAsync(string merchantId)
    {
        var rows = await dataSource.ReadRowsAsync(
            "SELECT url, events, sealed_secret FROM merchant_webhooks WHERE merchant_id = $1",
            reader => new StoredEndpoint(merchantId, reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<byte[]>(2)),
            merchantId);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>The event types each of these merchants' endpoints takes, in one query; merchants without an endpoint are left out.</summary>
    public async Task<Dictionary<string, IReadOnlyList<string>>> EventTypesOfAsync(IReadOnlyList<string> merchantIds) =>
        (await dataSource.ReadRowsAsync(
            "SELECT merchant_id, events FROM merchant_webhooks WHERE merchant_id = ANY($1)",
            reader => (Merchant: reader.GetString(0), Events: (IReadOnlyList<string>)reader.GetFieldValue<string[]>(1)),
            (object)merchantIds.ToArray()))
        .ToDictionary(row => row.Merchant, row => row.Events);

    public async Task<bool> DeleteEndpointAsync(string merchantId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM merchant_webhooks WHERE merchant_id = $1");
        command.Parameters.Add(new() { Value = merchantId });
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>
    /// Writes events and the request's recipients in one transaction, with <paramref name="alongside"/> (the change
    /// that causes them) first. Ids are derived from what causes an event, so a step that runs again after a crash
    /// writes nothing twice.
    /// </summary>
    /// <remarks>One unit of a <see cref="GroupCommit"/>: one transaction, shared with what other grains write at that moment.</remarks>
    public async Task EnqueueAsync(
        IReadOnlyList<OutboxEvent> events, IReadOnlyList<RecipientListing> recipients, DateTimeOffset now, params NpgsqlBatchCommand[] alongside)
    {
        var batch = new List<NpgsqlBatchCommand>(alongside);

        foreach (var item in events)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO webhook_outbox (delivery_id, event_id, recipient, recipient_kind, type, body, request_id, status, next_attempt_at, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8) ON CONFLICT (event_id) DO NOTHING
                """);
            command.Parameters.Add(new() { Value = EntityId.FromIdempotencyKey(EntityId.DeliveryPrefix, "delivery", item.EventId) });
            command.Parameters.Add(new() { Value = item.EventId });
            command.Parameters.Add(new() { Value = item.Recipient });
            command.Parameters.Add(new() { Value = item.RecipientKind.ToString() });
            command.Parameters.Add(new() { Value = item.Type });
            command.Parameters.Add(new() { Value = item.Body });
            command.Parameters.Add(new() { Value = (object?)item.RequestId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.Add(command);
        }

        foreach (var recipient in recipients)
        {
            var command = new NpgsqlBatchCommand(recipient.Supersedes ? SupersedingListing : """
                INSERT INTO request_recipients (request_id, recipient, recipient_kind, event_id, event_type, listed_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (request_id, recipient, recipient_kind) DO NOTHING
                """);
            command.Parameters.Add(new() { Value = recipient.RequestId });
            command.Parameters.Add(new() { Value = recipient.Recipient });
            command.Parameters.Add(new() { Value = recipient.RecipientKind.ToString() });
            command.Parameters.Add(new() { Value = (object?)recipient.EventId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = (object?)recipient.EventType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new() { Value = recipient.ClosedWhenListed ? now : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.Add(command);
        }

        // The cause and its events as one unit of a group commit: written together, with other grains' writes.
        await groupCommit.WriteAsync(batch);
    }

    // P3.1, P8.1: a later notice to a party listed already under the cause (RecipientListing.Supersedes: an owed address
    // erased after the request told it) is what the listing shows from then on, as if first listed with it: neither told nor
    // confirmed (the party confirms by the cause, once this notice reached it), its attempts and failure shown, chased by support, re-sent by
    // it, and its failed notice kept, where the listing kept the first notice, confirmed, and this one went unseen. Left as it
    // is: for a notice this write did not put in the outbox (written again on a retry, perhaps after a later one took its
    // place: no news), a party told nothing (a closed merchant), a listing closed, or one failed, which shows that failure
    // until support re-sends it (this notice with it, should it fail too: RedeliverAsync). The notice replaced while still on
    // its way is watched still: failed for good, the listing shows it again (ListingsOfFailedNotice). Marked superseded
    // (superseded_at): the party holds the cause's id from the first notice, so from then on it confirms by it only once
    // this one reached it (ConfirmAsync).
    private const string SupersedingListing = """
        INSERT INTO request_recipients (request_id, recipient, recipient_kind, event_id, event_type, listed_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (request_id, recipient, recipient_kind) DO UPDATE SET
               event_id = excluded.event_id, event_type = excluded.event_type, listed_at = excluded.listed_at, superseded_at = excluded.listed_at, notified_at = NULL,
               confirmed_at = NULL, answered_at = NULL, failed_at = NULL, attempts = 0, last_attempt_at = NULL, next_attempt_at = NULL
         WHERE excluded.event_id IS NOT NULL AND request_recipients.event_id IS DISTINCT FROM excluded.event_id
           AND request_recipients.closed_at IS NULL
           AND NOT (request_recipients.failed_at IS NOT NULL AND request_recipients.notified_at IS NULL AND request_recipients.confirmed_at IS NULL)
           AND EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.event_id = excluded.event_id AND o.created_at = excluded.listed_at AND o.attempts = 0)
        """;

    /// <summary>
    /// Leases up to <paramref name="limit"/> due deliveries to <paramref name="leasedBy"/> until <paramref name="leaseUntil"/>,
    /// the longest due first, but never more than <paramref name="perRecipient"/> of one recipient's under lease at once
    /// (counting those leased before): a recipient whose endpoint hangs, with any number of deliveries due, cannot take
    /// every silo's slots and hold everyone else's notices back. Rows another silo is leasing are skipped, not waited for;
    /// a lease that ran out (its silo died) is taken over. A merchant without an endpoint keeps its events waiting.
    /// </summary>
    public Task<IReadOnlyList<LeasedDelivery>> LeaseDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, string leasedBy, int limit, int perRecipient) =>
        dataSource.ReadRowsAsync(
            """
            WITH ranked AS (
                SELECT d.delivery_id, d.recipient,
                       row_number() OVER (PARTITION BY d.recipient ORDER BY d.next_attempt_at, d.delivery_id) AS nth
                  FROM webhook_outbox d
                 WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until < $1)
                   AND (d.recipient_kind <> 'Merchant' OR EXISTS (SELECT 1 FROM merchant_webhooks w WHERE w.merchant_id = d.recipient))),
            busy AS (
                SELECT f.recipient, count(*) AS leased FROM webhook_outbox f
                 WHERE f.status = 'pending' AND f.lease_until >= $1
                 GROUP BY f.recipient),
            picked AS (
                SELECT d.delivery_id FROM webhook_outbox d
                 WHERE d.delivery_id IN (
                        SELECT r.delivery_id FROM ranked r LEFT JOIN busy b ON b.recipient = r.recipient
                         WHERE r.nth + coalesce(b.leased, 0) <= $5)
                   AND d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until < $1)
                 ORDER BY d.next_attempt_at LIMIT $4
                 FOR UPDATE SKIP LOCKED)
            UPDATE webhook_outbox o SET lease_until = $2, leased_by = $3
              FROM picked WHERE o.delivery_id = picked.delivery_id
            RETURNING o.delivery_id, o.event_id, o.recipient, o.recipient_kind, o.type, o.body, o.attempts, o.delivered_url
            """,
            reader => new LeasedDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<RecipientKind>(reader.GetString(3)),
                reader.GetString(4), reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7)),
            now, leaseUntil, leasedBy, limit, perRecipient);

    /// <summary>
    /// Puts a delivery retried by hand back as it was, delivered, without sending it: its merchant's endpoint was re-pointed
    /// (or removed) between the retry and the send, and the event goes again only to the URL that took it (P3.1).
    /// </summary>
    public async Task KeepDeliveredAsync(LeasedDelivery delivery, string leasedBy)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_outbox SET status = 'delivered', next_attempt_at = NULL, lease_until = NULL, leased_by = NULL
             WHERE delivery_id = $1 AND leased_by = $2 AND status = 'pending' AND delivered_url IS NOT NULL
            """);
        command.Parameters.Add(new() { Value = delivery.DeliveryId });
        command.Parameters.Add(new() { Value = leasedBy });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Records one attempt by the lease holder: delivered (the recipients listed for the event are notified, and
    /// confirmed when the partner's adapter said it acted), or due again at its next attempt, or
    /// failed for good when that is null.
    /// </summary>
    public async Task RecordAttemptAsync(LeasedDelivery delivery, string leasedBy, AttemptOutcome outcome, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var status = outcome.Delivered ? Delivered : outcome.NextAttemptAt is null ? Failed : Pending;
        await using (var command = new NpgsqlCommand("""
            UPDATE webhook_outbox SET attempts = attempts + 1, last_status_code = $3, last_attempt_at = $4, status = $5,
                   next_attempt_at = $6, delivered_at = CASE WHEN $5 = 'delivered' THEN $4 ELSE delivered_at END,
                   delivered_url = CASE WHEN $5 = 'delivered' THEN $7 ELSE delivered_url END,
                   lease_until = NULL, leased_by = NULL
             WHERE delivery_id = $1 AND leased_by = $2 AND status = 'pending'
            """, connection, transaction))
        {
            command.Parameters.Add(new() { Value = delivery.DeliveryId });
            command.Parameters.Add(new() { Value = leasedBy });
            command.Parameters.Add(new() { Value = (object?)outcome.StatusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new() { Value = status });
            command.Parameters.Add(new() { Value = outcome.Delivered ? DBNull.Value : (object?)outcome.NextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new() { Value = (object?)outcome.DeliveredTo ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                // The lease ran out and another silo took the delivery over: its attempt is the one that counts.
                return;
            }
        }

        // Every attempt shows on the requests the event tells of, beside them (the outbox row goes after retention):
        // the user and support see a recipient retried, failed for good, or told (and confirmed, when its adapter said so).
        await using (var attempted = new NpgsqlCommand("""
            UPDATE request_recipients SET attempts = attempts + 1, last_attempt_at = $2, next_attempt_at = $4,
                   failed_at = CASE WHEN $3 OR $4 IS NOT NULL THEN NULL ELSE $2 END,
                   notified_at = CASE WHEN $3 THEN coalesce(notified_at, $2) ELSE notified_at END,
                   confirmed_at = CASE WHEN $3 AND $5 THEN coalesce(confirmed_at, $2) ELSE confirmed_at END,
                   answered_at = CASE WHEN $6 THEN coalesce(answered_at, $2) ELSE answered_at END
             WHERE event_id = $1
            """, connection, transaction))
        {
            attempted.Parameters.Add(new() { Value = delivery.EventId });
            attempted.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            attempted.Parameters.Add(new() { Value = outcome.Delivered });
            attempted.Parameters.Add(new() { Value = outcome.Delivered ? DBNull.Value : (object?)outcome.NextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            attempted.Parameters.Add(new() { Value = outcome.Confirmed });
            attempted.Parameters.Add(new() { Value = outcome.StatusCode is not null });
            await attempted.ExecuteNonQueryAsync();
        }

        if (status == Failed)
        {
            // A notice that never reached its party, replaced on the listing by a later one while on its way: the listing
            // shows it, failed, in place of the later one, or the party was shown told (and confirmed) of what never came.
            await using var shown = new NpgsqlCommand($"""
                UPDATE request_recipients r SET event_id = o.event_id, event_type = o.type, notified_at = NULL, confirmed_at = NULL,
                       answered_at = CASE WHEN $3 THEN $2 END, failed_at = $2, attempts = o.attempts, last_attempt_at = $2, next_attempt_at = NULL
                  FROM webhook_outbox o
                 WHERE o.event_id = $1 AND {ListingsOfFailedNotice("o")}
                """, connection, transaction);
            shown.Parameters.Add(new() { Value = delivery.EventId });
            shown.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            shown.Parameters.Add(new() { Value = outcome.StatusCode is not null });
            await shown.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    // P3.1, P8.1: the listings that a failed notice ({outbox}, its outbox row), which never reached its party, is of without
    // being the one they show: a later notice to the party under the same cause replaced it on its way (SupersedingListing).
    // Not one closed (nobody waits for it), nor one failed already (it stays on its notice; support's re-send sends both).
    private static string ListingsOfFailedNotice(string outbox) => $"""
        {outbox}.delivered_at IS NULL AND r.request_id = {outbox}.request_id AND r.recipient = {outbox}.recipient
           AND r.recipient_kind = {outbox}.recipient_kind AND r.event_id IS DISTINCT FROM {outbox}.event_id AND r.closed_at IS NULL
           AND NOT (r.failed_at IS NOT NULL AND r.notified_at IS NULL AND r.confirmed_at IS NULL)
        """;

    public async Task<WebhookDeliveryPage> DeliveriesAsync(string merchantId, string? status, string? cursor, int limit)
    {
        var after = DecodeCursor(cursor);
        // One text per shape, so the plan of a listing by status reads the (recipient, status, …) index, not every row.
        var rows = await dataSource.ReadRowsAsync(
            status is null ? DeliveriesOfEveryStatus : DeliveriesOfOneStatus,
            reader => new WebhookDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)),
            merchantId, status ?? "", after?.CreatedAt ?? DateTimeOffset.MaxValue, after?.DeliveryId ?? "", limit + 1);
        var page = rows.Take(limit).ToList();
        return new WebhookDeliveryPage(page, rows.Count > limit ? EncodeCursor(page[^1]) : null);
    }

    private const string DeliveriesOfEveryStatus = """
        SELECT delivery_id, event_id, type, status, attempts, last_status_code, last_attempt_at, next_attempt_at, created_at, failure_reason
          FROM webhook_outbox
         WHERE recipient = $1 AND recipient_kind = 'Merchant' AND $2 = '' AND (created_at, delivery_id) < ($3, $4)
         ORDER BY created_at DESC, delivery_id DESC LIMIT $5
        """;

    private const string DeliveriesOfOneStatus = """
        SELECT delivery_id, event_id, type, status, attempts, last_status_code, last_attempt_at, next_attempt_at, created_at, failure_reason
          FROM webhook_outbox
         WHERE recipient = $1 AND recipient_kind = 'Merchant' AND status = $2 AND (created_at, delivery_id) < ($3, $4)
         ORDER BY created_at DESC, delivery_id DESC LIMIT $5
        """;

    /// <summary>Whether the outbox holds a delivery to a merchant by this id, whatever its status: one read of its key.</summary>
    public async Task<bool> MerchantDeliveryExistsAsync(string deliveryId) =>
        (await dataSource.ReadStringsAsync(
            "SELECT delivery_id FROM webhook_outbox WHERE delivery_id = $1 AND recipient_kind = 'Merchant'", deliveryId)).Count > 0;

    /// <summary>
    /// Makes the delivery due now (whatever its status); a merchant may retry only its own. One being sent at this moment
    /// (under a lease that has not run out) is left to that attempt: a retry never starts a second send of a delivery beside
    /// the first, so a loop of retries cannot have the silos post one event at once many times to whatever URL is registered.
    /// </summary>
    /// <remarks>
    /// P4.1: a delivery made before <paramref name="keptSince"/> (the retention period ago) is not retried: each retry
    /// would finish it anew and start its retention over, and its body, naming users, would never leave the outbox.
    /// </remarks>
    public async Task<RetryOutcome> RetryAsync(string deliveryId, string? merchantId, DateTimeOffset now, DateTimeOffset keptSince)
    {
        // The requests it tells of show it on its way again, no longer failed. P3.1: an event delivered to one URL goes again
        // only to that URL; the endpoint re-pointed since (or removed), it would reach whoever the new URL names.
        // P3.1, P4.3 (*reviewer*): nor is a notice whose listing its merchant's closing closed, whatever its failure reason
        // (one written before closings stopped failed notices too): the closed merchant confirms nothing any more, and its
        // notices, naming users, would reach whoever its endpoint names by then.
        await using var command = dataSource.CreateCommand("""
            WITH target AS (
                SELECT o.delivery_id,
                       (o.delivered_url IS NOT NULL AND o.delivered_url IS DISTINCT FROM
                           (SELECT w.url FROM merchant_webhooks w WHERE w.merchant_id = o.recipient)) AS elsewhere,
                       o.created_at < $4 AS expired,
                       NOT EXISTS (SELECT 1 FROM merchant_webhooks w WHERE w.merchant_id = o.recipient) AS no_endpoint
                  FROM webhook_outbox o
                 WHERE o.delivery_id = $1 AND o.recipient_kind = 'Merchant' AND ($2 = '' OR o.recipient = $2)
                   AND o.failure_reason IS DISTINCT FROM 'merchant-closed'
                   AND NOT EXISTS (SELECT 1 FROM request_recipients r WHERE r.event_id = o.event_id AND r.closed_at IS NOT NULL)),
            retried AS (
                UPDATE webhook_outbox SET status = 'pending', next_attempt_at = $3, lease_until = NULL, leased_by = NULL,
                       failed_at = NULL, failure_reason = NULL
                 WHERE delivery_id IN (SELECT delivery_id FROM target WHERE NOT elsewhere AND NOT expired AND NOT no_endpoint)
                   AND (lease_until IS NULL OR lease_until < $3)
                RETURNING event_id),
            listed AS (
                UPDATE request_recipients r SET failed_at = NULL, next_attempt_at = $3
                  FROM retried WHERE r.event_id = retried.event_id AND r.notified_at IS NULL
                RETURNING 1)
            SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM target WHERE elsewhere), (SELECT count(*) FROM target WHERE expired),
                   (SELECT count(*) FROM target WHERE no_endpoint)
            """);
        command.Parameters.Add(new() { Value = deliveryId });
        command.Parameters.Add(new() { Value = merchantId ?? "" });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = keptSince, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0) == 0 ? RetryOutcome.NotFound
            : reader.GetInt64(1) > 0 ? RetryOutcome.DeliveredElsewhere
            : reader.GetInt64(2) > 0 ? RetryOutcome.Expired
            : reader.GetInt64(3) > 0 ? RetryOutcome.NoEndpoint
            : RetryOutcome.Retried;
    }

    /// <summary>
    /// Fails the deliveries to merchants without an endpoint that have been due since before <paramref name="dueBefore"/>
    /// (<c>PrivacySettings.WebhookEndpointWait</c> ago): the merchant removed its endpoint and registered none since, and a retry by hand
    /// made no difference. Each ends <c>failed</c> with the reason <see cref="NoEndpoint"/>, and the requests and receipts it
    /// tells of show the merchant failed, neither told nor confirmed, so support's list of unconfirmed recipients has it and
    /// support can send it again; the retention sweep erases it in its time. Returns how many.
    /// </summary>
    public async Task<int> FailUnsendableAsync(DateTimeOffset dueBefore, DateTimeOffset now)
    {
        // A notice a later one replaced on the listing while on its way is shown failed in its place, as RecordAttemptAsync does.
        await using var command = dataSource.CreateCommand($"""
            WITH failed AS (
                UPDATE webhook_outbox o SET status = 'failed', failed_at = $2, failure_reason = $3, next_attempt_at = NULL,
                       lease_until = NULL, leased_by = NULL
                 WHERE o.status = 'pending' AND o.next_attempt_at < $1 AND o.recipient_kind = 'Merchant'
                   AND (o.lease_until IS NULL OR o.lease_until < $2)
                   AND NOT EXISTS (SELECT 1 FROM merchant_webhooks w WHERE w.merchant_id = o.recipient)
                RETURNING o.event_id, o.request_id, o.recipient, o.recipient_kind, o.type, o.attempts, o.last_attempt_at, o.delivered_at),
            listed AS (
                UPDATE request_recipients r SET failed_at = $2, next_attempt_at = NULL
                  FROM failed WHERE r.event_id = failed.event_id AND r.notified_at IS NULL AND r.confirmed_at IS NULL
                RETURNING 1),
            shown AS (
                UPDATE request_recipients r SET event_id = f.event_id, event_type = f.type, notified_at = NULL, confirmed_at = NULL,
                       answered_at = NULL, failed_at = $2, attempts = f.attempts, last_attempt_at = f.last_attempt_at, next_attempt_at = NULL
                  FROM failed f WHERE {ListingsOfFailedNotice("f")}
                RETURNING 1)
            SELECT count(*) FROM failed
            """);
        command.Parameters.Add(new() { Value = dueBefore, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = NoEndpoint });
        return (int)(long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    /// <summary>
    /// P3.1, P4.3, P8.1: a merchant closing with users' notices still unconfirmed (told while it was closing, or never
    /// answering) could confirm none of them any more (its key is revoked), was chased by support for good, and was still
    /// sent the users' ids at an endpoint that may be anyone's by then. The deliveries of those notices still pending stop
    /// (failed, reason <see cref="MerchantClosed"/>), and every listing of it not confirmed is marked closed: <c>closed</c>
    /// to the user, off support's lists, never sent again. Its other events go on: the <c>shop.redact</c> of its own
    /// closing, and the <c>member_card.settled</c> of the balances it owes its customers back. Returns how many listings.
    /// </summary>
    /// <remarks>
    /// P3.1, P4.3 (*reviewer*): those that had already failed (retries used up, or no endpoint) are given the reason too, kept
    /// failed when they failed: left with theirs, a retry by hand (which refuses only <see cref="MerchantClosed"/>) sent them,
    /// naming users, to whatever URL the closed merchant's endpoint was re-pointed at. So are those of a cause a later notice
    /// replaced on its listing while they were on their way, whatever became of the listing (<see cref="SupersedingListing"/>).
    /// </remarks>
    public async Task<int> CloseMerchantAsync(string merchantId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            WITH stopped AS (
                UPDATE webhook_outbox SET status = 'failed', failed_at = CASE WHEN status = 'pending' THEN $2 ELSE failed_at END,
                       failure_reason = $3, next_attempt_at = NULL, lease_until = NULL, leased_by = NULL
                 WHERE recipient = $1 AND recipient_kind = 'Merchant' AND status IN ('pending', 'failed')
                   AND (event_id IN (SELECT event_id FROM request_recipients
                                      WHERE recipient = $1 AND recipient_kind = 'Merchant' AND confirmed_at IS NULL AND closed_at IS NULL AND event_id IS NOT NULL)
                        OR EXISTS (SELECT 1 FROM request_recipients r
                                    WHERE r.request_id = webhook_outbox.request_id AND r.recipient = $1 AND r.recipient_kind = 'Merchant'
                                      AND r.event_id IS DISTINCT FROM webhook_outbox.event_id))
                RETURNING 1)
            UPDATE request_recipients SET closed_at = $2, next_attempt_at = NULL
             WHERE recipient = $1 AND recipient_kind = 'Merchant' AND confirmed_at IS NULL AND closed_at IS NULL
            """);
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = MerchantClosed });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Erases deliveries finished before <paramref name="before"/>: delivered, or failed (with their retries used up, last
    /// tried before it, or failed then without an endpoint). Their bodies name users; pending ones stay whatever their age,
    /// and so does a failed notice of a user's right whose recipient was never told since, nor closed, until
    /// <paramref name="untoldBefore"/>: it is the only copy support's re-send can send (P3.1), and erased it left the
    /// user's request listed for support to chase with nothing to send. So is one of the cause the listing shows another
    /// notice of (<see cref="SupersedingListing"/>): support's re-send sends it too (<see cref="RedeliverAsync"/>). Returns how many.
    /// </summary>
    public async Task<int> ExpireAsync(DateTimeOffset before, DateTimeOffset untoldBefore)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM webhook_outbox o WHERE status <> 'pending' AND coalesce(delivered_at, failed_at, last_attempt_at) < $1
               AND NOT (status = 'failed' AND coalesce(failed_at, last_attempt_at) >= $2 AND EXISTS (
                   SELECT 1 FROM request_recipients r
                    WHERE (r.event_id = o.event_id OR (r.request_id = o.request_id AND r.recipient = o.recipient AND r.recipient_kind = o.recipient_kind))
                      AND r.notified_at IS NULL AND r.confirmed_at IS NULL AND r.closed_at IS NULL))
            """);
        command.Parameters.Add(new() { Value = before, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = untoldBefore, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }

    public Task<IReadOnlyList<RequestRecipient>> RecipientsOfAsync(string requestId) =>
        dataSource.ReadRowsAsync(
            $"SELECT {RecipientColumns} FROM request_recipients WHERE request_id = $1 ORDER BY recipient_kind, recipient",
            ReadRecipient, requestId);

    /// <summary>
    /// The merchant's confirmation of a request it is a recipient of (kept if given before), by the request's id alone: a
    /// request's id is random, known only from its notice, and a receiver may confirm from inside its handler before the
    /// delivery is recorded. Not a listing a later notice superseded (<see cref="SupersedingListing"/>), until that notice
    /// reached it (<see cref="ReceivedConfirmationOutcome.NotDelivered"/>): the id came with the first.
    /// </summary>
    public Task<ReceivedConfirmation> ConfirmAsync(string requestId, string merchantId, DateTimeOffset now) =>
        ConfirmAsync(requestId, merchantId, [nameof(RecipientKind.Merchant)], now);

    /// <summary>A payment or delivery partner's confirmation, as <see cref="ConfirmAsync(string, string, DateTimeOffset)"/>: never a merchant's listing.</summary>
    public Task<ReceivedConfirmation> ConfirmPartnerAsync(string causeId, string partner, DateTimeOffset now) =>
        ConfirmAsync(causeId, partner, [nameof(RecipientKind.PaymentPartner), nameof(RecipientKind.DeliveryPartner)], now);

    // P3.1, P8.1 (*reviewer*): a party told of a request, then of an owed address erased later (SupersedingListing), holds
    // the request's id from the first notice: by it alone it confirmed the later one that never reached it (its endpoint
    // removed or failing), shown confirmed to the user, off support's chase list, its failed notice erased with the
    // finished ones. A superseded listing is confirmed once its notice was delivered or answered since (the supersession
    // cleared both), as ConfirmReceivedAsync confirms; a confirmation given since is kept.
    private async Task<ReceivedConfirmation> ConfirmAsync(string causeId, string recipient, string[] kinds, DateTimeOffset now)
    {
        var rows = await dataSource.ReadRowsAsync(
            $"""
            UPDATE request_recipients SET confirmed_at = coalesce(confirmed_at, $3)
             WHERE request_id = $1 AND recipient = $2 AND recipient_kind = ANY($4)
               AND (superseded_at IS NULL OR confirmed_at IS NOT NULL OR notified_at IS NOT NULL OR answered_at IS NOT NULL)
            RETURNING {RecipientColumns}
            """,
            ReadRecipient, causeId, recipient, now, kinds);
        return await OutcomeAsync(rows, causeId, recipient, kinds);
    }

    /// <summary>
    /// A recipient's confirmation of a notice it received: delivered (<c>notified_at</c>), or answered by its endpoint at
    /// least once (<c>answered_at</c>, an error included: the body reached it); kept if given before. Not on the strength of an id: a notice's
    /// cause and event ids are derived from what the recipient knows (an objection's transfer and customer, a closure's
    /// order), and an attempt that never connected (a blocked address, an endpoint removed, a port closed) delivered
    /// nothing. <paramref name="eventId"/>, when named, must be the listed notice's. <see cref="ReceivedConfirmationOutcome.NotDelivered"/>
    /// when it is listed but nothing reached it.
    /// </summary>
    public async Task<ReceivedConfirmation> ConfirmReceivedAsync(
        string causeId, string recipient, IReadOnlyList<RecipientKind> kinds, string? eventId, DateTimeOffset now)
    {
        var kindNames = kinds.Select(kind => kind.ToString()).ToArray();
        var rows = await dataSource.ReadRowsAsync(
            $"""
            UPDATE request_recipients r SET confirmed_at = coalesce(r.confirmed_at, $3)
             WHERE r.request_id = $1 AND r.recipient = $2 AND r.recipient_kind = ANY($4)
               AND (nullif($5, '') IS NULL OR r.event_id = $5)
               AND (r.confirmed_at IS NOT NULL OR r.notified_at IS NOT NULL OR r.answered_at IS NOT NULL)
            RETURNING {RecipientColumns}
            """,
            ReadRecipient, causeId, recipient, now, kindNames, eventId ?? "");
        return await OutcomeAsync(rows, causeId, recipient, kindNames);
    }

    // A confirmation's outcome: the row its update confirmed, else whether the party is listed at all (not yet reached) or not.
    private async Task<ReceivedConfirmation> OutcomeAsync(IReadOnlyList<RequestRecipient> confirmed, string causeId, string recipient, string[] kindNames)
    {
        if (confirmed.Count > 0)
        {
            return new(ReceivedConfirmationOutcome.Confirmed, confirmed[0]);
        }

        var listed = await dataSource.ReadRowsAsync(
            $"SELECT {RecipientColumns} FROM request_recipients WHERE request_id = $1 AND recipient = $2 AND recipient_kind = ANY($3)",
            ReadRecipient, causeId, recipient, kindNames);
        return listed.Count > 0 ? new(ReceivedConfirmationOutcome.NotDelivered, listed[0]) : new(ReceivedConfirmationOutcome.NotListed, null);
    }

    /// <summary>
    /// Puts the notice of a recipient whose retries ran out back in the outbox: the same row (same event id and body),
    /// due now, its attempts counted afresh so it gets every retry again; the recipient's own count, shown to the user,
    /// keeps every attempt. Only a <c>failed</c> recipient: one on its way, told or confirmed is left alone.
    /// </summary>
    public async Task<Redelivery> RedeliverAsync(string causeId, string recipient, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var listed = new List<(RequestRecipient Recipient, string? EventId)>();
        await using (var read = new NpgsqlCommand(
            $"SELECT {RecipientColumns}, event_id FROM request_recipients WHERE request_id = $1 AND recipient = $2 ORDER BY recipient_kind FOR UPDATE",
            connection, transaction))
        {
            read.Parameters.Add(new() { Value = causeId });
            read.Parameters.Add(new() { Value = recipient });
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                listed.Add((ReadRecipient(reader), reader.IsDBNull(10) ? null : reader.GetString(10)));
            }
        }

        if (listed.Count == 0)
        {
            return new Redelivery(RedeliveryOutcome.NotListed, null);
        }

        var failed = listed.Where(row => row.Recipient.Status == RequestRecipient.Failed && row.EventId is not null).ToList();
        if (failed.Count == 0)
        {
            return new Redelivery(RedeliveryOutcome.NotFailed, listed[0].Recipient);
        }

        var redelivered = new List<RequestRecipient>();
        foreach (var (listing, eventId) in failed)
        {
            // With the listed notice, any other of the cause to the party that failed while the listing was failed: a later
            // notice written then (SupersedingListing), or one it had replaced on its way.
            await using var again = new NpgsqlCommand(
                $"""
                WITH due AS (
                    UPDATE webhook_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, last_status_code = NULL,
                           lease_until = NULL, leased_by = NULL, failed_at = NULL, failure_reason = NULL
                     WHERE status = 'failed' AND (event_id = $1 OR (request_id = $3 AND recipient = $4 AND recipient_kind = $5
                                                                   AND failure_reason IS DISTINCT FROM '{MerchantClosed}'))
                    RETURNING event_id)
                UPDATE request_recipients r SET failed_at = NULL, next_attempt_at = $2
                  FROM due WHERE r.event_id = due.event_id
                RETURNING {string.Join(", ", RecipientColumns.Split(", ").Select(column => "r." + column))}
                """,
                connection, transaction);
            again.Parameters.Add(new() { Value = eventId! });
            again.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            again.Parameters.Add(new() { Value = causeId });
            again.Parameters.Add(new() { Value = listing.Recipient });
            again.Parameters.Add(new() { Value = listing.RecipientKind.ToString() });
            await using var reader = await again.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                redelivered.Add(ReadRecipient(reader));
            }
        }

        if (redelivered.Count == 0)
        {
            // The retention sweep erased the event (its body named the user): there is nothing left to send.
            return new Redelivery(RedeliveryOutcome.Expired, failed[0].Recipient);
        }

        await transaction.CommitAsync();
        return new Redelivery(RedeliveryOutcome.Redelivered, redelivered[0]);
    }

    /// <summary>Each cause's recipients, for causes listed in one page (the privacy center's receipts).</summary>
    public async Task<Dictionary<string, IReadOnlyList<RequestRecipient>>> RecipientsOfEachAsync(IReadOnlyList<string> causeIds) =>
        (await dataSource.ReadRowsAsync(
            $"SELECT request_id, {RecipientColumns} FROM request_recipients WHERE request_id = ANY($1) ORDER BY request_id, recipient_kind, recipient",
            reader => (Cause: reader.GetString(0), Recipient: ReadRecipient(reader, offset: 1)),
            (object)causeIds.ToArray()))
        .GroupBy(row => row.Cause)
        .ToDictionary(group => group.Key, group => (IReadOnlyList<RequestRecipient>)[.. group.Select(row => row.Recipient)]);

    /// <summary>
    /// Causes of one kind (their ids' <paramref name="prefix"/>: requests, or consents withdrawn directly, named by their
    /// receipt) with a recipient unconfirmed since before <paramref name="since"/> (counted from notice, or from listing
    /// when never told), or whose notice to a recipient failed for good (no need to wait: no one is coming), by id. A
    /// recipient not told (its endpoint takes no such event) or closed since is awaited by no one and leaves none listed.
    /// </summary>
    public Task<IReadOnlyList<string>> UnconfirmedCausesAsync(string prefix, DateTimeOffset since, string afterCauseId, int limit) =>
        dataSource.ReadStringsAsync(
            """
            SELECT DISTINCT request_id FROM request_recipients
             WHERE confirmed_at IS NULL AND closed_at IS NULL AND (coalesce(notified_at, listed_at) < $1 OR failed_at IS NOT NULL) AND request_id > $2
               AND starts_with(request_id, $4) AND event_type IS NOT NULL
             ORDER BY request_id LIMIT $3
            """,
            since, afterCauseId, limit, prefix + "_");

    /// <summary>
    /// Transfer objections whose erasure notice is unconfirmed since before <paramref name="since"/> (counted as
    /// <see cref="UnconfirmedCausesAsync"/> does), or failed for good, by cause id, with the transfer and the user each is for.
    /// </summary>
    public Task<IReadOnlyList<(string CauseId, string TransferId, string UserId)>> UnconfirmedObjectionsAsync(
        DateTimeOffset since, string afterCauseId, int limit) =>
        dataSource.ReadRowsAsync(
            """
            SELECT DISTINCT r.request_id, t.transfer_id, t.user_id FROM request_recipients r
              JOIN transfer_users t ON t.objection_cause_id = r.request_id
             WHERE r.confirmed_at IS NULL AND r.closed_at IS NULL AND (coalesce(r.notified_at, r.listed_at) < $1 OR r.failed_at IS NOT NULL) AND r.request_id > $2
               AND starts_with(r.request_id, $4)
             ORDER BY r.request_id LIMIT $3
            """,
            reader => (reader.GetString(0), reader.GetString(1), reader.GetString(2)),
            since, afterCauseId, limit, EntityId.ObjectionPrefix + "_");

    /// <summary>
    /// Closure causes (an erased order's, <c>clo_{orderId}</c>) whose notice to a partner is unconfirmed since before
    /// <paramref name="since"/> (counted as <see cref="UnconfirmedCausesAsync"/> does), or failed for good, by cause id, with
    /// the order and the user whose ledger names it.
    /// </summary>
    public Task<IReadOnlyList<(string CauseId, string OrderId, string UserId)>> UnconfirmedClosuresAsync(DateTimeOffset since, string afterCauseId, int limit) =>
        dataSource.ReadRowsAsync(
            $"""
            SELECT DISTINCT r.request_id, d.order_id, d.user_id FROM request_recipients r
              JOIN user_disclosures d ON d.order_id = substr(r.request_id, {MerchantClosures.CausePrefix.Length + 1}) AND {PartnerDisclosure("d")}
             WHERE r.confirmed_at IS NULL AND r.closed_at IS NULL AND (coalesce(r.notified_at, r.listed_at) < $1 OR r.failed_at IS NOT NULL) AND r.request_id > $2
               AND starts_with(r.request_id, $4)
             ORDER BY r.request_id LIMIT $3
            """,
            reader => (reader.GetString(0), reader.GetString(1), reader.GetString(2)),
            since, afterCauseId, limit, MerchantClosures.CausePrefix);

    /// <summary>
    /// The closure causes of the orders <paramref name="userId"/>'s ledger names a partner for, that were listed (their
    /// merchant closed and told the partners), by cause id, after <paramref name="afterCauseId"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClosureCausesOfUserAsync(string userId, string afterCauseId, int limit) =>
        [.. (await dataSource.ReadStringsAsync(
            // Paged on the order id itself, so the (user_id, order_id) index is read from the cursor on, not all of it.
            $"""
            SELECT d.order_id FROM user_disclosures d
             WHERE d.user_id = $1 AND d.order_id > $2 AND {PartnerDisclosure("d")}
               AND EXISTS (SELECT 1 FROM request_recipients r WHERE r.request_id = '{MerchantClosures.CausePrefix}' || d.order_id)
             GROUP BY d.order_id ORDER BY d.order_id LIMIT $3
            """,
            userId, afterCauseId.StartsWith(MerchantClosures.CausePrefix, StringComparison.Ordinal) ? afterCauseId[MerchantClosures.CausePrefix.Length..] : afterCauseId, limit))
            .Select(MerchantClosures.CauseId)];

    /// <summary>Whether <paramref name="userId"/>'s ledger names a partner for <paramref name="orderId"/>: a closure notice of it is theirs.</summary>
    public async Task<bool> IsOrderOfUserAsync(string userId, string orderId) =>
        (await dataSource.ReadStringsAsync(
            $"SELECT order_id FROM user_disclosures d WHERE d.user_id = $1 AND d.order_id = $2 AND {PartnerDisclosure("d")} LIMIT 1",
            userId, orderId)).Count > 0;

    private static string PartnerDisclosure(string alias) =>
        $"{alias}.recipient_kind IN ('{nameof(RecipientKind.PaymentPartner)}', '{nameof(RecipientKind.DeliveryPartner)}')";

    /// <summary>
    /// The parties told of a consent withdrawn directly (a cause named by its receipt) whose retries ran out, neither told
    /// nor confirmed since, the oldest failure first: at most <paramref name="limit"/>, and how many there are, counted up to
    /// <paramref name="countUpTo"/> (no more rows are read than that, however many failed).
    /// </summary>
    public async Task<(IReadOnlyList<(string ReceiptId, RequestRecipient Recipient)> Items, int Counted)> FailedWithdrawalsAsync(int limit, int countUpTo)
    {
        var rows = await dataSource.ReadRowsAsync(
            $"""
            SELECT request_id, {RecipientColumns}, count(*) OVER () FROM (
                SELECT request_id, {RecipientColumns} FROM request_recipients
                 WHERE failed_at IS NOT NULL AND notified_at IS NULL AND confirmed_at IS NULL AND closed_at IS NULL AND starts_with(request_id, $1)
                 ORDER BY failed_at, request_id, recipient, recipient_kind LIMIT $3) failed
             ORDER BY failed_at, request_id, recipient, recipient_kind LIMIT $2
            """,
            reader => (Row: (ReceiptId: reader.GetString(0), Recipient: ReadRecipient(reader, offset: 1)), Counted: (int)reader.GetInt64(11)),
            EntityId.ReceiptPrefix + "_", limit, countUpTo);
        return ([.. rows.Select(row => row.Row)], rows.Count > 0 ? rows[0].Counted : 0);
    }

    /// <summary>
    /// P8.1, P3.1: the parties told of what the user did outside a request (a request's are in its own record): each
    /// consent the user withdrew directly (its receipt) and each transfer they objected to (its objection), by cause, read
    /// a page at a time after the last (cause, kind, recipient) read.
    /// </summary>
    public async IAsyncEnumerable<(string CauseId, RequestRecipient Recipient)> ReadRecipientsOfUsersOwnCausesAsync(
        string userId, int rowsPerRead, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (string Cause, string Kind, string Recipient) after = ("", "", "");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await dataSource.ReadRowsAsync(
                $"""
                SELECT request_id, {RecipientColumns} FROM request_recipients
                 WHERE request_id IN ({UsersOwnCauses})
                   AND (request_id, recipient_kind, recipient) > ($2, $3, $4)
                 ORDER BY request_id, recipient_kind, recipient LIMIT $5
                """,
                reader => (reader.GetString(0), ReadRecipient(reader, offset: 1)),
                userId, after.Cause, after.Kind, after.Recipient, rowsPerRead);
            foreach (var row in page)
            {
                yield return row;
            }

            if (page.Count < rowsPerRead)
            {
                yield break;
            }

            var last = page[^1];
            after = (last.Item1, last.Item2.RecipientKind.ToString(), last.Item2.Recipient);
        }
    }

    // The causes of what a user ($1) did outside a request: each consent they withdrew directly (its receipt), each transfer
    // they objected to (its objection), and each of their orders a closing merchant erased (its closure).
    private const string UsersOwnCauses = """
        SELECT receipt_id FROM consent_receipts WHERE user_id = $1 AND NOT granted
        UNION ALL SELECT objection_cause_id FROM transfer_users WHERE user_id = $1 AND objection_cause_id IS NOT NULL
        UNION ALL SELECT 'clo_' || order_id FROM user_disclosures
                   WHERE user_id = $1 AND order_id IS NOT NULL AND recipient_kind IN ('PaymentPartner', 'DeliveryPartner')
        """;

    /// <summary>
    /// As a user's account closes (before its ledger, transfer rows and receipts go), the listings of what the user did
    /// outside a request still waiting for their recipient are closed: the cancellation tells each recipient to erase
    /// everything of the user anyway, nobody can chase or re-send them once the user's rows are gone, and a failed one's
    /// notice (it names the user) then leaves the outbox with the retention period instead of being kept for a re-send
    /// (P4.1). Returns how many.
    /// </summary>
    public async Task<int> CloseUsersOwnCausesAsync(string userId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE request_recipients SET closed_at = $2, next_attempt_at = NULL
             WHERE request_id IN ({UsersOwnCauses}) AND confirmed_at IS NULL AND closed_at IS NULL AND notified_at IS NULL
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync();
    }

    private const string RecipientColumns = "recipient, recipient_kind, notified_at, confirmed_at, event_type, attempts, last_attempt_at, next_attempt_at, failed_at, closed_at";

    private static RequestRecipient ReadRecipient(NpgsqlDataReader reader) => ReadRecipient(reader, offset: 0);

    // The recipient's columns (RecipientColumns), starting at column offset.
    private static RequestRecipient ReadRecipient(NpgsqlDataReader reader, int offset)
    {
        DateTimeOffset? At(int column) => reader.IsDBNull(offset + column) ? null : reader.GetFieldValue<DateTimeOffset>(offset + column);
        var notified = At(2);
        var confirmed = At(3);
        var attempts = reader.GetInt32(offset + 5);
        var failed = !reader.IsDBNull(offset + 8);
        var status = confirmed is not null ? RequestRecipient.Confirmed
            : !reader.IsDBNull(offset + 9) ? RequestRecipient.Closed
            : notified is not null ? RequestRecipient.Notified
            : failed ? RequestRecipient.Failed
            : attempts > 0 ? RequestRecipient.Retrying
            : reader.IsDBNull(offset + 4) ? RequestRecipient.NotTold
            : RequestRecipient.Pending;
        return new RequestRecipient(
            reader.GetString(offset), Enum.Parse<RecipientKind>(reader.GetString(offset + 1)), notified, confirmed, status,
            reader.IsDBNull(offset + 4) ? null : reader.GetString(offset + 4),
            attempts, At(6), At(7));
    }

    private static string EncodeCursor(WebhookDelivery last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.CreatedAt.UtcTicks}|{last.DeliveryId}"));

    private static (DateTimeOffset CreatedAt, string DeliveryId)? DecodeCursor(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|');
            if (parts.Length == 2 && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                && ticks > 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks && EntityId.IsWellFormed(parts[1], EntityId.DeliveryPrefix))
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), parts[1]);
            }
        }
        catch (FormatException)
        {
        }

        throw DomainException.InvalidField("cursor", "invalid-cursor", "This cursor was not given by this listing.");
    }
}

/// <summary>A merchant's endpoint as stored: the secret sealed.</summary>
public sealed record StoredEndpoint(string MerchantId, string Url, IReadOnlyList<string> Events, byte[] SealedSecret);

/// <summary>One event for one recipient, its body <c>{type, timestamp, data}</c> fixed when it is written.</summary>
public sealed record OutboxEvent(string EventId, string Recipient, RecipientKind RecipientKind, string Type, string Body, string? RequestId);

/// <summary>
/// A recipient of a data-rights request, and the event that tells it and its type (null when it takes none of this type).
/// <see cref="Supersedes"/>: a later notice to a party that may be listed already under the cause (an order's owed address
/// erased after the request told it), which the listing then shows in place of the first, unconfirmed again; otherwise a
/// party listed already keeps its listing. <see cref="ClosedWhenListed"/>: a merchant closed before the cause reached it, listed
/// closed (told nothing, asked nothing), as a merchant that closes later is.
/// </summary>
public sealed record RecipientListing(
    string RequestId, string Recipient, RecipientKind RecipientKind, string? EventId, string? EventType, bool Supersedes = false, bool ClosedWhenListed = false);

/// <summary>What became of support's redelivery of one recipient's notice, and the recipient as it now stands (null when not listed).</summary>
public sealed record Redelivery(RedeliveryOutcome Outcome, RequestRecipient? Recipient);

public enum RedeliveryOutcome
{
    Redelivered,
    NotListed,
    NotFailed,
    Expired,

    /// <summary>The merchant has no endpoint: nothing could send it, and a retry would only restart its wait to fail.</summary>
    NoEndpoint,
}

/// <summary>What became of a merchant's confirmation of a notice it received, and the recipient as it now stands (null when not listed).</summary>
public sealed record ReceivedConfirmation(ReceivedConfirmationOutcome Outcome, RequestRecipient? Recipient);

public enum ReceivedConfirmationOutcome
{
    Confirmed,
    NotListed,
    NotDelivered,
}

/// <summary>A delivery leased to this silo for one attempt.</summary>
/// <summary>A delivery leased for one attempt; <see cref="DeliveredUrl"/>: the URL that took it before, when it is a retry by hand of a delivered one.</summary>
public sealed record LeasedDelivery(
    string DeliveryId, string EventId, string Recipient, RecipientKind RecipientKind, string Type, string Body, int Attempts, string? DeliveredUrl = null);

/// <summary>
/// How an attempt went: delivered (and, for a partner, confirmed), or due again at <see cref="NextAttemptAt"/> (null: no more).
/// <see cref="DeliveredTo"/>: the merchant endpoint's URL that took it, the only one a retry by hand sends it to again.
/// </summary>
public sealed record AttemptOutcome(bool Delivered, bool Confirmed, int? StatusCode, DateTimeOffset? NextAttemptAt, string? DeliveredTo = null);

/// <summary>What a retry by hand did: no such delivery (of that merchant), sent again, or refused: delivered to another URL.</summary>
public enum RetryOutcome
{
    NotFound,
    Retried,
    DeliveredElsewhere,
    Expired,

    /// <summary>The merchant has no endpoint: nothing could send it, and a retry would only restart its wait to fail.</summary>
    NoEndpoint,
}
