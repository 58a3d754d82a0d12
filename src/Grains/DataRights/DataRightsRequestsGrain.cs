namespace MeiLing.Grains.DataRights;

// Holds nothing between calls, which wait on PostgreSQL: one call at a time per worker (a worker per core) would queue
// every caller behind the slowest query on the silo.
[StatelessWorker]
[Reentrant]
internal sealed class DataRightsRequestsGrain(DataRightsRequestIndexStore index, TimeProvider clock) : Grain, IDataRightsRequestsGrain
{
    async Task<DataRightsRequestPage> IDataRightsRequestsGrain.ListOpen(bool overdueOnly, string? cursor, int limit)
    {
        var (ids, next) = await index.OpenAsync(
            overdueOnly ? clock.GetUtcNow() : null, RequestCursor.Decode(cursor), Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize));
        return new DataRightsRequestPage(await ViewsAsync(ids), next is { } last ? RequestCursor.Encode(last) : null);
    }

    // A page, never every request the user ever filed: each view wakes the request's own grain (P4.4).
    async Task<IReadOnlyList<DataRightsRequestView>> IDataRightsRequestsGrain.OfUser(string userId, int skip, int take, bool newestFirst) =>
        await ViewsAsync(await index.PageOfUserAsync(
            userId, Math.Max(skip, 0), Math.Clamp(take, 1, IDataRightsRequestsGrain.MaxUserPageSize) + 1, newestFirst));

    async Task<IReadOnlyList<DataRightsRequestView>> IDataRightsRequestsGrain.OfUserFirstPage(string userId) =>
        await ViewsAsync(await index.PageOfUserAsync(userId, 0, IDataRightsRequestsGrain.MaxUserPageSize, newestFirst: false));

    private async Task<IReadOnlyList<DataRightsRequestView>> ViewsAsync(IReadOnlyList<string> ids)
    {
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).Get()));
        return [.. views.OfType<DataRightsRequestView>()];
    }
}
