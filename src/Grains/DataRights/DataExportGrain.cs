using System.Text.Json;
using System.Text.Json.Nodes;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Tickets;
using MeiLing.Grains.Users;

namespace MeiLing.Grains.DataRights;

/// <summary>
/// Gathers the access bundle from every grain and table that holds the user's data. The profile
/// section is written from the data-category tags of the user's state; the other sections each come
/// from the one place that holds that kind of data.
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
    private const int Parallelism = 32;

    async Task<string> IDataExportGrain.Build(string userId)
    {
        var user = GrainFactory.GetGrain<IUserGrain>(userId);
        var profile = JsonNode.Parse(await user.ExportPersonalData())!;
        var asUser = new OrderCaller(OrderParty.User, userId);

        var bundle = new JsonObject
        {
            ["userId"] = userId,
            ["generatedAt"] = clock.GetUtcNow(),
            ["profile"] = profile,
            ["consents"] = new JsonObject
            {
                ["current"] = Node(await user.GetConsents()),
                ["history"] = Node(await user.GetConsentHistory()),
            },
            ["orders"] = Node(await GatherAsync(await orders.OrderIdsOfUserAsync(userId), id => GrainFactory.GetGrain<IOrderGrain>(id).Read(asUser))),
            ["memberCards"] = Node(await GatherAsync(await cards.MerchantsOfUserAsync(userId), async merchantId => new
            {
                merchantId,
                balanceFen = await GrainFactory.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId)).GetBalance(),
            })),
            ["locations"] = Node(await locations.ListAsync(userId, Everything)),
            ["activity"] = Node(await activity.ListAsync(userId, Everything)),
            ["tickets"] = Node(await GatherAsync(await user.GetTicketIds(), id => GrainFactory.GetGrain<ITicketGrain>(id).Get())),
            ["disclosures"] = Node(await disclosures.ListAsync(userId, Everything)),
            // From the index, not the request grains: the access request being answered is one of them.
            ["requests"] = Node(await requests.SummariesOfUserAsync(userId)),
        };
        return bundle.ToJsonString();
    }

    // Batches on the grain's own scheduler (grain calls must not leave it), a few dozen calls in flight at a time.
    private static async Task<List<T>> GatherAsync<T>(IReadOnlyList<string> ids, Func<string, Task<T?>> fetch)
    {
        var results = new List<T>(ids.Count);
        foreach (var batch in ids.Chunk(Parallelism))
        {
            results.AddRange((await Task.WhenAll(batch.Select(fetch))).OfType<T>());
        }

        return results;
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, PersonalDataExporter.Options);
}
