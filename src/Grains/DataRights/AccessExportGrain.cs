using System.Runtime.CompilerServices;
using System.Text.Json;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Audit;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Options;
using Orleans.Placement;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// Gathers the access bundle (P8.1) from every grain and table that holds the user's data, a part at a time (P4.4).
/// Each grain that holds personal data exports itself, driven by the data-category tags of its state (profile,
/// notifications, orders, member cards, tickets, requests); the tables' sections come from the one store that holds
/// each. What grows with use is read a page at a time and cut into parts of at most
/// <see cref="ExportSettings.PartCharacters"/>, so the activation holds a page, the calls in flight and a part.
/// </summary>
/// <remarks>Placed where it is called: the API's gateway silo, or the request grain's own for its export step.</remarks>
[PreferLocalPlacement]
internal sealed class AccessExportGrain(
    OrderIndexStore orders,
    MemberCardIndexStore cards,
    ActivityLogStore activity,
    LocationSampleStore locations,
    DisclosureLedgerStore disclosures,
    DataRightsRequestIndexStore requests,
    MemberCardSettlements settlements,
    Transfers.TransferUsersStore transfers,
    Webhooks.WebhookOutboxStore recipients,
    IOptions<ExportSettings> settings,
    TimeProvider clock) : Grain, IAccessExportGrain
{
    /// <summary>How many of the newest entries of the user's access log the bundle holds (the route pages through all).</summary>
    public const int AccessLogEntries = 1_000;

    // A user's settlements and transfers: one per merchant that closed or moved, never many.
    private const int ExportedPerUser = 1_000;

    // A ticket holds up to 100,000 characters (TicketGrain.MaxCharacters): a few at a time keep the calls in flight near a megabyte.
    private const int TicketsInFlight = 4;

    private ExportSettings Settings => settings.Value;

    async IAsyncEnumerable<ExportPart> IAccessExportGrain.Parts([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var userId = this.GetPrimaryKeyString();
        var consents = GrainFactory.GetGrain<IUserConsents>(userId);
        // What an earlier version kept in the user's state is read below from where it lives now.
        await GrainFactory.GetGrain<IUserLegacyImport>(userId).ImportLegacy();

        // Each grain's record arrives as JSON text and goes into its part as it is, not parsed into a tree and written
        // out again: every record is System.Text.Json's own output (PersonalDataExporter).
        yield return ExportParts.Value(["userId"], Serialize(userId));
        yield return ExportParts.Value(["generatedAt"], Serialize(clock.GetUtcNow()));
        yield return ExportParts.Value(["profile"], await GrainFactory.GetGrain<IUserDataRights>(userId).ExportPersonalData());
        yield return ExportParts.Value(["notifications"], await GrainFactory.GetGrain<IUserInboxGrain>(userId).ExportPersonalData());
        yield return ExportParts.Value(["consents", "current"], Serialize(await consents.GetConsents()));

        var sections = new[]
        {
            List(["consents", "history"], ConsentHistoryAsync(consents, cancellationToken)),
            // P8.1, P3.1: who was told of each consent the user withdrew and each transfer they objected to, and whether
            // they confirmed, as the receipt's and the objection's own routes show it (a request's are in its record).
            List(["consents", "noticesOfWithdrawalsAndObjections"], CauseNotices.GroupAsync(
                recipients.ReadRecipientsOfUsersOwnCausesAsync(userId, Settings.RowsPerRead, cancellationToken))),
            Records(["orders"], orders.ReadOrderIdsOfUserAsync(userId, Settings.RowsPerRead, cancellationToken),
                id => GrainFactory.GetGrain<IOrderGrain>(id).ExportPersonalData(userId)),
            Records(["memberCards"], (await cards.MerchantsOfUserAsync(userId)).ToAsyncEnumerable(),
                merchantId => GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId)).ExportPersonalData()),
            // The money merchants owe the user back (a card settled at a closing or an objection), and the business
            // transfers that concerned them: theirs to know and to claim (P8.1, P4.3, P3.2). Each a handful a user.
            List(["memberCardSettlements"], (await settlements.OfUserAsync(userId, ExportedPerUser)).ToAsyncEnumerable()),
            List(["transfers"], (await transfers.OfUserAsync(userId, ExportedPerUser)).ToAsyncEnumerable()),
            List(["locations"], locations.ReadAllAsync(userId, Settings.RowsPerRead, cancellationToken)),
            List(["activity"], activity.ReadAllAsync(userId, Settings.ActivityRowsPerRead, cancellationToken)),
            Records(["tickets"], (await GrainFactory.GetGrain<IUserTickets>(userId).GetTicketIds()).ToAsyncEnumerable(),
                id => GrainFactory.GetGrain<ITicketGrain>(id).ExportPersonalData(), TicketsInFlight),
            List(["disclosures"], disclosures.ReadAllAsync(userId, Settings.RowsPerRead, cancellationToken)),
            Records(["requests"], RequestIdsAsync(userId, cancellationToken),
                id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).ExportPersonalData()),
            AccessLogAsync(userId, cancellationToken),
        };
        foreach (var section in sections)
        {
            await foreach (var part in section.WithCancellation(cancellationToken))
            {
                yield return part;
            }
        }
    }

    // A section of records that each export themselves from their own state, so their tagged fields decide what the
    // bundle holds; asked of their grains a few at a time, in order.
    private IAsyncEnumerable<ExportPart> Records(string[] path, IAsyncEnumerable<string> ids, Func<string, Task<string?>> export, int? inFlight = null) =>
        ExportParts.ListAsync(
            path,
            GrainFanOut.StreamEachAsync(ids, export, Math.Min(inFlight ?? int.MaxValue, Settings.CallsInFlight)).Where(record => record is not null).Select(record => record!), // gone, or not the user's
            Settings.PartCharacters);

    // A section of rows read from a table, each written as the JSON the bundle always held for it.
    private IAsyncEnumerable<ExportPart> List<T>(string[] path, IAsyncEnumerable<T> rows) =>
        ExportParts.ListAsync(path, rows.Select(Serialize), Settings.PartCharacters);

    private async IAsyncEnumerable<ConsentReceipt> ConsentHistoryAsync(IUserConsents consents, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A page holds one more than asked when more follow.
        var take = Math.Min(Settings.RowsPerRead, IUserConsents.MaxHistoryPage);
        for (var skip = 0; ; skip += take)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await consents.GetConsentHistoryPage(skip, take, newestFirst: false);
            foreach (var receipt in page.Take(take))
            {
                yield return receipt;
            }

            if (page.Count <= take)
            {
                yield break;
            }
        }
    }

    // P1.7: who at the platform looked at or acted on the user's data, as the access-log route shows it, bounded (the
    // audit log keeps every entry for good) and saying so: what is kept, and, after them, whether these are all.
    private async IAsyncEnumerable<ExportPart> AccessLogAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return ExportParts.Value(["accessLog", "kept"], Serialize(
            $"The newest {AccessLogEntries} entries at most, newest first; GET /v1/users/{{userId}}/access-log pages through all of them."));
        var complete = new StrongBox<bool>();
        await foreach (var part in List(["accessLog", "entries"], NewestAccessLogAsync(userId, complete, cancellationToken)).WithCancellation(cancellationToken))
        {
            yield return part;
        }

        yield return ExportParts.Value(["accessLog", "complete"], Serialize(complete.Value));
    }

    // A page at a time, newest first, up to the bound; complete says whether the log ended before it.
    private async IAsyncEnumerable<AccessLogEntry> NewestAccessLogAsync(string userId, StrongBox<bool> complete, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var log = GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.PlatformKey);
        var left = AccessLogEntries;
        long? before = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await log.AccessLog(userId, before, Math.Min(Settings.RowsPerRead, left));
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            left -= page.Entries.Count;
            before = page.NextBefore;
        }
        while (before is not null && left > 0);

        complete.Value = before is null;
    }

    // The user's requests oldest first: a request filed meanwhile comes last, so no page shifts under the next.
    private async IAsyncEnumerable<string> RequestIdsAsync(string userId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var take = Settings.RowsPerRead;
        for (var skip = 0; ; skip += take)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await requests.PageOfUserAsync(userId, skip, take, newestFirst: false);
            foreach (var requestId in page)
            {
                yield return requestId;
            }

            if (page.Count < take)
            {
                yield break;
            }
        }
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, PersonalDataExporter.Options);
}
