using MeiLing.Grains.Webhooks;

namespace MeiLing.Grains.DataRights;

[StatelessWorker]
internal sealed class RequestRecipientsGrain(WebhookOutboxStore store, TimeProvider clock) : Grain, IRequestRecipientsGrain
{
    Task<RequestRecipient?> IRequestRecipientsGrain.Confirm(string requestId, string merchantId) =>
        store.ConfirmAsync(requestId, merchantId, clock.GetUtcNow());

    Task<IReadOnlyList<RequestRecipient>> IRequestRecipientsGrain.Of(string causeId) => store.RecipientsOfAsync(causeId);

    async Task<DataRightsRequestPage> IRequestRecipientsGrain.Unconfirmed(string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, IDataRightsRequestsGrain.MaxPageSize);
        var after = cursor ?? "";
        var ids = await store.UnconfirmedAsync(clock.GetUtcNow() - IRequestRecipientsGrain.ConfirmWithin, after, limit + 1);
        var page = ids.Take(limit).ToList();
        var views = await Task.WhenAll(page.Select(id => GrainFactory.GetGrain<IDataRightsRequestGrain>(id).Get()));
        return new DataRightsRequestPage([.. views.OfType<DataRightsRequestView>()], ids.Count > limit ? page[^1] : null);
    }
}
