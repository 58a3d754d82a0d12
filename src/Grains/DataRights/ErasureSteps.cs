using MeiLing.Grains.Activity;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;
using MeiLing.Grains.Privacy.Encryption;
using Npgsql;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// The ordered erasure of account cancellation (P4.1), one idempotent step at a time: running a step
/// again after a crash finds nothing left to do and changes nothing. Each returns how many items it erased.
/// </summary>
public sealed class ErasureSteps(
    IGrainFactory grains,
    ConsentReceiptStore receipts,
    OrderIndexStore orders,
    MemberCardIndexStore cards,
    LocationSampleStore locations,
    ActivityLogStore activity,
    DisclosureLedgerStore disclosures,
    UserDataKeys keys,
    NpgsqlDataSource dataSource,
    Webhooks.WebhookOutbox outbox)
{
    public const string CloseAccount = "close-account";
    public const string AnonymizeOrders = "anonymize-orders";
    public const string SettleMemberCards = "settle-member-cards";
    public const string EraseTickets = "erase-tickets";
    public const string EraseLocations = "erase-locations";
    public const string EraseActivity = "erase-activity";
    public const string EraseDisclosures = "erase-disclosures";
    public const string PseudonymizeConsentReceipts = "pseudonymize-consent-receipts";
    public const string RedactRequests = "redact-requests";
    public const string DeleteAccount = "delete-account";
    public const string Verify = "verify";

    /// <summary>Tells every recipient in the ledger (issue 14); before the ledger and the orders are erased.</summary>
    public const string NotifyRecipients = Webhooks.RequestRecipientNotices.NotifyRecipients;

    /// <summary>
    /// First stop everything (sessions, processing, new requests), then tell everyone the ledger shows received
    /// the user's data (it and the orders are still there to say who and which), then cut or erase what hangs off the
    /// account, then the account and its key, then check that nothing is left. The activity log goes
    /// after the key: entries of the user's last requests may still be on their way, and once the key is
    /// gone they are dropped on arrival instead of being written.
    /// </summary>
    public static IReadOnlyList<string> CancellationPlan { get; } =
    [
        CloseAccount, NotifyRecipients, AnonymizeOrders, SettleMemberCards, EraseTickets, EraseLocations, EraseDisclosures,
        PseudonymizeConsentReceipts, RedactRequests, DeleteAccount, EraseActivity, Verify,
    ];

    /// <summary>The steps that erase something, each safe to run again after the account is gone.</summary>
    public static IReadOnlyList<string> ErasingSteps { get; } =
        [.. CancellationPlan.Where(step => step is not (CloseAccount or NotifyRecipients or RedactRequests or Verify))];

    public async Task<int> RunAsync(string step, string userId, AccountInventory inventory) => step switch
    {
        AnonymizeOrders => await AnonymizeOrdersAsync(userId),
        SettleMemberCards => await SettleCardsAsync(userId),
        EraseTickets => await CountAsync(inventory.TicketIds, id => grains.GetGrain<ITicketGrain>(id).Erase()),
        EraseLocations => await locations.EraseAsync(userId),
        EraseActivity => await activity.EraseAsync(userId),
        EraseDisclosures => await disclosures.EraseAsync(userId),
        // Receipts are kept as a record that consent was asked and answered, under a pseudonym that leads nowhere.
        PseudonymizeConsentReceipts => await receipts.PseudonymizeAsync(userId),
        // Last, the user's data key: any copy of what it sealed (old rows, backups, dumps) stays unreadable.
        DeleteAccount => await DeleteAccountAsync(userId),
        _ => throw new InvalidOperationException($"Unknown erasure step '{step}'."),
    };

    /// <summary>Applies a correction of delivery details to every order of the user not yet fulfilled.</summary>
    public async Task<int> CorrectDeliveriesAsync(string userId, DeliveryCorrection correction) =>
        await CountAsync(await orders.OrderIdsOfUserAsync(userId), id => grains.GetGrain<IOrderGrain>(id).CorrectDelivery(correction));

    /// <summary>What still refers to the user after the erasure: the names of tables and grains, never their data.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(string userId, AccountInventory inventory)
    {
        var remaining = new List<string>();
        foreach (var table in new[] { "consent_receipts", "user_location_samples", "user_activity", "user_disclosures", "member_card_index" })
        {
            if (await ExistsAsync($"SELECT EXISTS (SELECT 1 FROM {table} WHERE user_id = $1)", userId))
            {
                remaining.Add(table);
            }
        }

        // By pseudonym while the key exists (a key still there is reported below, and its orders are found again).
        if (await orders.AnyOfUserAsync(userId))
        {
            remaining.Add("order_index");
        }

        if (await keys.ExistsAsync(userId))
        {
            remaining.Add("user_data_keys");
        }

        if (await ExistsAsync("SELECT EXISTS (SELECT 1 FROM orleans_storage WHERE grain_id_string = $1 OR grain_id_string LIKE '%/' || $1)", userId))
        {
            remaining.Add("orleans_storage: user or member card");
        }

        if (inventory.TicketIds.Count > 0 && await ExistsAsync(
            "SELECT EXISTS (SELECT 1 FROM orleans_storage WHERE grain_id_string = ANY($2) AND position($1 in convert_from(payload, 'UTF8')) > 0)",
            userId, inventory.TicketIds.ToArray()))
        {
            remaining.Add("orleans_storage: tickets");
        }

        return remaining;
    }

    private async Task<int> AnonymizeOrdersAsync(string userId) =>
        await CountAsync(await orders.OrderIdsOfUserAsync(userId), id => grains.GetGrain<IOrderGrain>(id).Anonymize());

    private async Task<int> DeleteAccountAsync(string userId)
    {
        // A user's listing rows are found only by a pseudonym their key computes: an order whose placement was
        // still on its way when its step ran is anonymized now, while it can still be found.
        await AnonymizeOrdersAsync(userId);
        return await grains.GetGrain<IUserDataRights>(userId).DeleteAccount() + await keys.ShredAsync(userId);
    }

    private async Task<int> SettleCardsAsync(string userId)
    {
        var merchants = await cards.MerchantsOfUserAsync(userId);
        foreach (var merchantId in merchants)
        {
            var card = grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId));
            // The merchant's event goes into the outbox before the balance is settled: a crash in between
            // settles on the next run, and the event (one id per card) is not written twice. The card is
            // named by a pseudonym that dies with the user's key, never by the user id.
            var cardUserRef = await keys.PseudonymAsync(userId, $"member-card/{merchantId}", create: true);
            await outbox.WriteAsync([outbox.Event(
                Webhooks.WebhookEvents.MemberCardSettled, merchantId, Disclosures.RecipientKind.Merchant, $"{userId}/{merchantId}",
                new { cardUserRef, amountFen = await card.GetBalance() })]);
            await card.SettleAndErase();
        }

        return merchants.Count;
    }

    private async Task<bool> ExistsAsync(string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> CountAsync(IEnumerable<string> ids, Func<string, Task<bool>> action)
    {
        var count = 0;
        foreach (var id in ids)
        {
            if (await action(id))
            {
                count++;
            }
        }

        return count;
    }
}
