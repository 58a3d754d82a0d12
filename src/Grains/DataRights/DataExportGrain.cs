using System.Text.Json;
using System.Text.Json.Nodes;
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
        var bundle = new JsonObject
        {
            ["userId"] = userId,
            ["generatedAt"] = clock.GetUtcNow(),
            ["profile"] = JsonNode.Parse(await GrainFactory.GetGrain<IUserDataRights>(userId).ExportPersonalData()),
            ["notifications"] = JsonNode.Parse(await GrainFactory.GetGrain<IUserInboxGrain>(userId).ExportPersonalData()),
            ["consents"] = new JsonObject
            {
                ["current"] = Node(await consents.GetConsents()),
                ["history"] = Node(await consents.GetConsentHistory()),
            },
            ["orders"] = await ExportEachAsync(await orders.OrderIdsOfUserAsync(userId),
                id => GrainFactory.GetGrain<IOrderGrain>(id).ExportPersonalData(userId)),
            ["memberCards"] = await ExportEachAsync(await cards.MerchantsOfUserAsync(userId),
                merchantId => GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId)).ExportPersonalData()),
            ["locations"] = Node(await locations.ListAsync(userId, Everything)),
            ["activity"] = Node(await activity.ListAsync(userId, Everything)),
            ["tickets"] = await ExportEachAsync(await GrainFactory.GetGrain<IUserTickets>(userId).GetTicketIds(), id => GrainFactory.GetGrain<ITicketGrain>(id).ExportPersonalData()),
            ["disclosures"] = Node(await disclosures.ListAsync(userId, Everything)),
            ["requests"] = await ExportEachAsync(await requests.OfUserAsync(userId),
                id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).ExportPersonalData()),
        };
        return bundle.ToJsonString();
    }

    // Each record exports itself from its own state, so its tagged fields decide what the bundle holds.
    private async Task<JsonArray> ExportEachAsync(IReadOnlyList<string> ids, Func<string, Task<string?>> export) =>
        [.. (await GatherAsync(ids, export)).Select(json => JsonNode.Parse(json))];

    private static async Task<List<T>> GatherAsync<T>(IReadOnlyList<string> ids, Func<string, Task<T?>> fetch) =>
        [.. (await GrainFanOut.CallEachAsync(ids, fetch)).OfType<T>()];

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, PersonalDataExporter.Options);
}
