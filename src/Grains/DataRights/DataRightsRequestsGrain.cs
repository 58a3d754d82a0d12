namespace MeiLing.Grains.DataRights;

[StatelessWorker]
internal sealed class DataRightsRequestsGrain(DataRightsRequestIndexStore index, TimeProvider clock) : Grain, IDataRightsRequestsGrain
{
    async Task<DataRightsRequestPage> IDataRightsRequestsGrain.ListOpen(bool overdueOnly, string? cursor, int limit)
    {
        var (ids, next) = await index.OpenAsync(
            overdueOnly ? clock.GetUtcNow() : null, RequestCursor.Decode(cursor), Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize));
        return new DataRightsRequestPage(await ViewsAsync(ids), next is { } last ? RequestCursor.Encode(last) : null);
    }

    async Task<IReadOnlyList<DataRightsRequestView>> IDataRightsRequestsGrain.OfUser(string userId) =>
        await ViewsAsync(await index.OfUserAsync(userId));

    private async Task<IReadOnlyList<DataRightsRequestView>> ViewsAsync(IReadOnlyList<string> ids)
    {
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).Get()));
        return [.. views.OfType<DataRightsRequestView>()];
    }
}
