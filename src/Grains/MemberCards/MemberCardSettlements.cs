using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy.Encryption;
using MeiLing.Grains.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace MeiLing.Grains.MemberCards;

/// <summary>
/// Settles a member card's balance at closure: the money is the user's, so it is recorded as owed back by the
/// merchant (never simply zeroed), and the merchant is told (<c>member_card.settled</c>). Nothing here names the
/// user: the card is a pseudonym under the user's key, which leads nowhere once the key is shredded.
/// </summary>
public sealed class MemberCardSettlements(NpgsqlDataSource dataSource, UserDataKeys keys, WebhookOutbox outbox, TimeProvider clock)
{
    /// <summary>The user cancelled their account (P4.1).</summary>
    public const string AccountCancelled = "account-cancelled";

    /// <summary>The merchant closed or handed its business over (P4.3, P3.2).</summary>
    public const string MerchantClosed = "merchant-closed";

    /// <summary>How the money goes back: the merchant pays the customer, who is named by the card ref in their receipt.</summary>
    public const string MerchantPaysCustomer = "merchant-pays-customer";

    private const string AccountPurpose = "member-card-settlements";

    /// <summary>A cause as the settlement's row and listing name it.</summary>
    public static string NameOf(CardSettlementCause cause) => cause switch
    {
        CardSettlementCause.AccountCancelled => AccountCancelled,
        CardSettlementCause.MerchantClosed => MerchantClosed,
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "Not a settlement cause."),
    };

    /// <summary>The card's pseudonym in the settlement and the webhook (the same the erasure's own notice uses).</summary>
    public async Task<string> CardUserRefAsync(string merchantId, string userId) =>
        (await keys.PseudonymAsync(userId, $"member-card/{merchantId}", create: true))!;

    /// <summary>
    /// What names one life's settlement event (<paramref name="life"/>, <see cref="MemberCardDue.Life"/>): named by the
    /// card alone, a second life's settlement at the same merchant was taken for a retry of the first, and dropped.
    /// </summary>
    public static string EventCause(string userId, string merchantId, string? life) =>
        life is null ? $"{userId}/{merchantId}" : $"{userId}/{merchantId}/{life}";

    /// <summary>Records the settlement of the card's <paramref name="life"/> and its webhook event; recording it again (a retry) adds nothing.</summary>
    public async Task RecordAsync(string merchantId, string userId, long amountFen, string cause, string? life)
    {
        var cardUserRef = await CardUserRefAsync(merchantId, userId);
        var accountRef = await keys.PseudonymAsync(userId, AccountPurpose, create: true);
        await outbox.WriteAsync([outbox.Event(
            WebhookEvents.MemberCardSettled, merchantId, RecipientKind.Merchant, EventCause(userId, merchantId, life), new { cardUserRef, amountFen })]);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO member_card_settlements (settlement_id, merchant_id, card_user_ref, account_ref, amount_fen, cause, pay_back, settled_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new() { Value = EntityId.FromIdempotencyKey(EntityId.SettlementPrefix, merchantId, life is null ? cardUserRef : $"{cardUserRef}/{life}") });
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = cardUserRef });
        command.Parameters.Add(new() { Value = (object?)accountRef ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = amountFen });
        command.Parameters.Add(new() { Value = cause });
        command.Parameters.Add(new() { Value = MerchantPaysCustomer });
        command.Parameters.Add(new() { Value = clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<CardSettlement>> OfMerchantAsync(string merchantId, int limit) =>
        (await PageOfMerchantAsync(merchantId, null, limit)).Items;

    /// <summary>A page of the merchant's settlements, newest first, keyed by (time, id) so a page never repeats or skips a row.</summary>
    public async Task<CardSettlementPage> PageOfMerchantAsync(string merchantId, string? cursor, int limit)
    {
        var after = After(cursor);
        // The index on (merchant_id, settled_at DESC, settlement_id DESC) serves both the first page and any after a cursor.
        await using var command = dataSource.CreateCommand("""
            SELECT settlement_id, card_user_ref, amount_fen, cause, pay_back, settled_at FROM member_card_settlements
             WHERE merchant_id = $1 AND ($2::timestamptz IS NULL OR (settled_at, settlement_id) < ($2, $3))
             ORDER BY settled_at DESC, settlement_id DESC LIMIT $4
            """);
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = (object?)after?.SettledAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = after?.SettlementId ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit + 1 });
        var items = new List<CardSettlement>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                items.Add(new CardSettlement(
                    reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        if (items.Count <= limit)
        {
            return new CardSettlementPage(items, null);
        }

        items.RemoveAt(limit);
        var last = items[^1];
        return new CardSettlementPage(items, KeysetCursor.Encode(last.SettledAt, last.SettlementId));
    }

    /// <summary>
    /// P8.1: the user's own settlements, the money merchants owe them back, each with its merchant (the user's to claim),
    /// oldest first; read by the user's account pseudonym, so none while the user's key is gone.
    /// </summary>
    public async Task<IReadOnlyList<UserCardSettlement>> OfUserAsync(string userId, int limit)
    {
        if (await keys.PseudonymAsync(userId, AccountPurpose) is not { } accountRef)
        {
            return [];
        }

        return await dataSource.ReadRowsAsync(
            """
            SELECT settlement_id, merchant_id, amount_fen, cause, pay_back, settled_at FROM member_card_settlements
             WHERE account_ref = $1 ORDER BY settled_at, settlement_id LIMIT $2
            """,
            reader => new UserCardSettlement(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)),
            accountRef, limit);
    }

    public async Task<long> SettledForUserAsync(string userId)
    {
        if (await keys.PseudonymAsync(userId, AccountPurpose) is not { } accountRef)
        {
            return 0;
        }

        // The account's own cancellation's: a card settled before, at a merchant's closing or the user's objection to its
        // transfer, was the user's money owed back then, not by this cancellation.
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(amount_fen), 0)::bigint FROM member_card_settlements WHERE account_ref = $1 AND cause = $2");
        command.Parameters.Add(new() { Value = accountRef });
        command.Parameters.Add(new() { Value = AccountCancelled });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static (DateTimeOffset SettledAt, string SettlementId)? After(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? null
        : KeysetCursor.TryDecode(cursor, EntityId.SettlementPrefix, out var settledAt, out var settlementId) ? (settledAt, settlementId)
        : throw DomainException.InvalidField("cursor", "invalid-cursor", "The cursor is not one this API gave out.");
}

/// <summary>One settlement of the user's, as their access export shows it: which merchant owes them what, and why.</summary>
public sealed record UserCardSettlement(string SettlementId, string MerchantId, long AmountFen, string Cause, string PayBack, DateTimeOffset SettledAt);
