using System.Buffers;
using System.Text;
using System.Text.Json;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// Gathers the access bundle from every grain and table that holds the user's data. Each grain that
/// holds personal data exports itself, driven by the data-category tags of its state (profile, notifications,
/// orders, member cards, tickets, requests); the tables' sections come from the one store that holds each.
/// </summary>
[StatelessWorker]
internal sealed class DataExportGrain(
    OrderIndexStore orders,
    MemberCardIndexStore cards,
    ActivityLogStore activity,
    LocationSampleStore locations,
    DisclosureLedgerStore disclosures,
    DataRightsRequestIndexStore requests,
    TimeProvider clock) : Grain, IDataExportGrain
{
    // The bundle holds everything: the API's own lists are capped per page, the export is not.
    private const int Everything = int.MaxValue;

    async Task<string> IDataExportGrain.Build(string userId)
    {
        var consents = GrainFactory.GetGrain<IUserConsents>(userId);
        // What an earlier version kept in the user's state is read below from where it lives now.
        await GrainFactory.GetGrain<IUserLegacyImport>(userId).ImportLegacy();

        // Each grain's section arrives as JSON text and is written into the bundle as it is, not parsed into a tree and
        // written out again (a user with 1,000 orders has a bundle of about a megabyte), and not checked either: every
        // section is System.Text.Json's own output (PersonalDataExporter), and checking was a twentieth of an export.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using (var bundle = new Utf8JsonWriter(buffer))
        {
            bundle.WriteStartObject();
            bundle.WriteString("userId", userId);
            bundle.WritePropertyName("generatedAt");
            Write(bundle, clock.GetUtcNow());
            bundle.WritePropertyName("profile");
            bundle.WriteRawValue(await GrainFactory.GetGrain<IUserDataRights>(userId).ExportPersonalData(), skipInputValidation: true);
            bundle.WritePropertyName("notifications");
            bundle.WriteRawValue(await GrainFactory.GetGrain<IUserInboxGrain>(userId).ExportPersonalData(), skipInputValidation: true);
            bundle.WriteStartObject("consents");
            bundle.WritePropertyName("current");
            Write(bundle, await consents.GetConsents());
            bundle.WritePropertyName("history");
            Write(bundle, await consents.GetConsentHistory());
            bundle.WriteEndObject();
            WriteEach(bundle, "orders", await GatherAsync(await orders.OrderIdsOfUserAsync(userId),
                id => GrainFactory.GetGrain<IOrderGrain>(id).ExportPersonalData(userId)));
            WriteEach(bundle, "memberCards", await GatherAsync(await cards.MerchantsOfUserAsync(userId),
                merchantId => GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId)).ExportPersonalData()));
            bundle.WritePropertyName("locations");
            Write(bundle, await locations.ListAsync(userId, Everything));
            bundle.WritePropertyName("activity");
            Write(bundle, await activity.ListAsync(userId, Everything));
            WriteEach(bundle, "tickets", await GatherAsync(await GrainFactory.GetGrain<IUserTickets>(userId).GetTicketIds(),
                id => GrainFactory.GetGrain<ITicketGrain>(id).ExportPersonalData()));
            bundle.WritePropertyName("disclosures");
            Write(bundle, await disclosures.ListAsync(userId, Everything));
            WriteEach(bundle, "requests", await GatherAsync(await requests.OfUserAsync(userId),
                id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).ExportPersonalData()));
            bundle.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Each record exports itself from its own state, so its tagged fields decide what the bundle holds.
    private static void WriteEach(Utf8JsonWriter bundle, string section, IReadOnlyList<string> exports)
    {
        bundle.WriteStartArray(section);
        foreach (var json in exports)
        {
            bundle.WriteRawValue(json, skipInputValidation: true);
        }

        bundle.WriteEndArray();
    }

    private static async Task<List<T>> GatherAsync<T>(IReadOnlyList<string> ids, Func<string, Task<T?>> fetch) =>
        [.. (await GrainFanOut.CallEachAsync(ids, fetch)).OfType<T>()];

    private static void Write<T>(Utf8JsonWriter bundle, T value) => JsonSerializer.Serialize(bundle, value, PersonalDataExporter.Options);
}
