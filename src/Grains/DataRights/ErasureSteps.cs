using MeiLing.Grains.Activity;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;
using MeiLing.Grains.Privacy.Encryption;
using Npgsql;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// The one erasure orchestrator, for a deletion of categories and for account cancellation (P4.1) alike: one
/// idempotent target at a time, so running one again after a crash finds nothing left and changes nothing. Each
/// returns how many items it erased. The request's plan (<see cref="RequestPlans"/>) decides the order.
/// </summary>
public sealed class ErasureSteps(
    IGrainFactory grains,
    ConsentReceiptStore receipts,
    OrderIndexStore orders,
    MemberCardIndexStore cards,
    LocationSampleStore locations,
    UserTicketStore ticketLinks,
    ActivityLogStore activity,
    DisclosureLedgerStore disclosures,
    Transfers.TransferUsersStore transfers,
    TimeProvider clock,
    UserDataKeys keys,
    OwnedStateIndex ownedStates,
    NpgsqlDataSource dataSource,
    Webhooks.WebhookOutbox outbox,
    Webhooks.WebhookOutboxStore notices)
{
    /// <summary>
    /// Erases one target; <paramref name="inventory"/> is what a closed account held (cancellation), null while the
    /// account stays (deletion of a category).
    /// </summary>
    public async Task<int> RunAsync(ErasureTarget target, string userId, AccountInventory? inventory) => target switch
    {
        ErasureTarget.Orders => await AnonymizeOrdersAsync(userId),
        ErasureTarget.MemberCards => await SettleCardsAsync(userId),
        ErasureTarget.Tickets => await EraseTicketsAsync(userId, inventory),
        ErasureTarget.Locations => await locations.EraseAsync(userId),
        ErasureTarget.Activity => await activity.EraseAsync(userId),
        // The hand-overs' records: the ledger's rows, and the business transfers' rows that named the user (P3.2); a closing
        // account's own notices still waiting first, while those rows still name them.
        ErasureTarget.Disclosures => await EraseDisclosuresAsync(userId, inventory),
        ErasureTarget.ConsentReceipts => await receipts.PseudonymizeAsync(userId),
        // Last, the user's data key: any copy of what it sealed (old rows, backups, dumps) stays unreadable.
        ErasureTarget.Account => await DeleteAccountAsync(userId),
        // What only the user grain holds, in its own state.
        ErasureTarget.Avatar => await OwnData(userId).EraseCategory(ErasableCategory.Avatar),
        ErasureTarget.Addresses => await OwnData(userId).EraseCategory(ErasableCategory.Addresses),
        ErasureTarget.BirthDate => await OwnData(userId).EraseCategory(ErasableCategory.BirthDate),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Not an erasure target."),
    };

    private async Task<int> EraseDisclosuresAsync(string userId, AccountInventory? inventory)
    {
        if (inventory is not null)
        {
            // Closed, not erased (counted in no erasure receipt), and while the rows below still name them.
            await notices.CloseUsersOwnCausesAsync(userId, clock.GetUtcNow());
        }

        return await disclosures.EraseAsync(userId) + await transfers.PseudonymizeAsync(userId, clock.GetUtcNow());
    }

    /// <summary>
    /// Applies a correction of delivery details to every order of the user not yet fulfilled; returns those orders, the
    /// ones its recipients are told carry the corrected values (an order past delivery keeps where it was delivered).
    /// </summary>
    public async Task<IReadOnlyList<string>> CorrectDeliveriesAsync(string userId, DeliveryCorrection correction) =>
        await ChangedAsync(await orders.OrderIdsOfUserAsync(userId), id => grains.GetGrain<IOrderGrain>(id).CorrectDelivery(correction));

    /// <summary>
    /// With the deletion of the user's addresses <paramref name="requestId"/>: erases the address and door number of every
    /// order of theirs past delivery, the orders its recipients are told of (P3.1); one still to be delivered keeps them, to
    /// be delivered, and owes the request their erasure once it no longer is (<see cref="IOrderGrain.EraseDeliveryAddressFor"/>),
    /// counted so the request does not say it erased them.
    /// </summary>
    public async Task<(IReadOnlyList<string> Erased, int OwedOnceDelivered)> EraseDeliveryAddressesAsync(string userId, string requestId)
    {
        var ids = await orders.OrderIdsOfUserAsync(userId);
        var erasures = await GrainFanOut.CallEachAsync(ids, id => grains.GetGrain<IOrderGrain>(id).EraseDeliveryAddressFor(requestId), width: 64);
        return ([.. ids.Where((_, index) => erasures[index] == DeliveryAddressErasure.Erased)],
            erasures.Count(erasure => erasure == DeliveryAddressErasure.OwedOnceDelivered));
    }

    /// <summary>What still refers to the user after the erasure: the names of tables and grains, never their data.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(string userId)
    {
        var remaining = new List<string>();
        foreach (var table in new[] { "consent_receipts", "user_location_samples", "user_activity", "user_disclosures", "member_card_index", "user_tickets", "transfer_users" })
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

        // Every grain state still sealed under the user's key (the user, their inbox, member cards, tickets, orders, requests).
        remaining.AddRange((await ownedStates.GrainTypesOfUserAsync(userId)).Select(grainType => $"grain state: {grainType}"));

        return remaining;
    }

    private async Task<int> AnonymizeOrdersAsync(string userId) =>
        await CountAsync(await orders.OrderIdsOfUserAsync(userId), id => grains.GetGrain<IOrderGrain>(id).Anonymize());

    private async Task<int> DeleteAccountAsync(string userId)
    {
        // A user's listing rows are found only by a pseudonym their key computes: an order whose placement was
        // still on its way when its step ran is anonymized now, while it can still be found.
        await AnonymizeOrdersAsync(userId);
        var deleted = await OwnData(userId).DeleteAccount();
        // After the account: the inbox takes no notice for a user that no longer exists, so none lands after this.
        await grains.GetGrain<IUserInboxGrain>(userId).Erase();
        // P4.1: the user's day of wrong codes (a child's guesses at their guardian's code) is keyed by their id.
        await grains.GetGrain<IDailyAllowanceGrain>(IDailyAllowanceGrain.KeyOf(DailyAllowanceKind.WrongCodesByCaller, userId)).Forget();
        return deleted + await keys.ShredAsync(userId);
    }

    // A closed account's tickets are in its inventory; a deletion asks the account (after it has moved the links an
    // earlier version kept in its state). Either way the tickets are erased, then unlinked.
    private async Task<int> EraseTicketsAsync(string userId, AccountInventory? inventory)
    {
        if (inventory is null)
        {
            await grains.GetGrain<IUserLegacyImport>(userId).ImportLegacy();
        }

        var ticketIds = inventory?.TicketIds ?? await grains.GetGrain<IUserTickets>(userId).GetTicketIds();
        var erased = await CountAsync(ticketIds, id => grains.GetGrain<ITicketGrain>(id).Erase());
        await ticketLinks.EraseAsync(userId, ticketIds);
        return erased;
    }

    private IUserDataRights OwnData(string userId) => grains.GetGrain<IUserDataRights>(userId);

    private async Task<int> SettleCardsAsync(string userId)
    {
        var merchants = await cards.MerchantsOfUserAsync(userId);
        foreach (var merchantId in merchants)
        {
            var card = grains.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId));
            // The merchant's event goes into the outbox before the balance is settled: a crash in between
            // settles on the next run, and the event (one id per life of the card) is not written twice. The card is
            // named by a pseudonym that dies with the user's key, never by the user id.
            var cardUserRef = await keys.PseudonymAsync(userId, $"member-card/{merchantId}", create: true);
            var due = await card.GetSettlementDue();
            // A card erased already (a retry after a crash before its index row went) was told of then, under its life's name.
            if (due.Exists)
            {
                await outbox.WriteAsync([outbox.Event(
                    Webhooks.WebhookEvents.MemberCardSettled, merchantId, Disclosures.RecipientKind.Merchant,
                    MemberCards.MemberCardSettlements.EventCause(userId, merchantId, due.Life), new { cardUserRef, amountFen = due.BalanceFen })]);
            }

            await card.SettleAndEraseBecause(CardSettlementCause.AccountCancelled);
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

    // Each order and ticket is a grain of its own: a user's are changed side by side, 64 at a time.
    private static async Task<int> CountAsync(IEnumerable<string> ids, Func<string, Task<bool>> action) =>
        (await GrainFanOut.CallEachAsync(ids, action, width: 64)).Count(changed => changed);

    private static async Task<IReadOnlyList<string>> ChangedAsync(IReadOnlyList<string> ids, Func<string, Task<bool>> action)
    {
        var changed = await GrainFanOut.CallEachAsync(ids, action, width: 64);
        return [.. ids.Where((_, index) => changed[index])];
    }
}
