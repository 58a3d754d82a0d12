namespace MeiLing.Grains.DataRights;

[StatelessWorker]
internal sealed class DataRightsRequestsGrain(DataRightsRequestIndexStore index, TimeProvider clock) : Grain, IDataRightsRequestsGrain
{
    async Task<IReadOnlyList<DataRightsRequestView>> IDataRightsRequestsGrain.ListOpen(bool overdueOnly, int limit) =>
        await ViewsAsync(await index.OpenAsync(overdueOnly ? clock.GetUtcNow() : null, Math.Clamp(limit, 1, 500)));

    async Task<IReadOnlyList<DataRightsRequestView>> IDataRightsRequestsGrain.OfUser(string userId) =>
        await ViewsAsync(await index.OfUserAsync(userId));

    private async Task<IReadOnlyList<DataRightsRequestView>> ViewsAsync(IReadOnlyList<string> ids)
    {
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).Get()));
        return [.. views.OfType<DataRightsRequestView>()];
    }
}
