using MeiLing.Grains.Access;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Webhooks;

/// <summary>
/// P3.1, P4.3: a merchant closed since it received a user's data is listed on the cause closed and told nothing: its
/// closure erased what the platform held of its customers and told it so (<c>shop.redact</c>), its key no longer confirms
/// anything, and the user's id sent to an endpoint it no longer answers for would be a hand-over to no platform merchant.
/// For a request's notices and a direct withdrawal's alike. Listed closed, not as a party whose endpoint takes no event of
/// the kind (not-told), so the user reads that the merchant has closed, not that it was left out (*reviewer*).
/// </summary>
internal static class ClosedMerchants
{
    /// <summary>The events to send, and every recipient's listing under <paramref name="causeId"/>, a closed merchant's with no event.</summary>
    public static async Task<(IReadOnlyList<OutboxEvent> Told, IReadOnlyList<RecipientListing> Listed)> ListAsync(
        IGrainFactory grains, TimeProvider clock, string causeId, IReadOnlyList<OutboxEvent> events)
    {
        var merchants = events.Where(item => item.RecipientKind == RecipientKind.Merchant).Select(item => item.Recipient).Distinct().ToList();
        var views = await GrainFanOut.CallEachAsync(merchants, id => grains.GetGrain<IMerchantGrain>(id).Get());
        // Closed from its closing date, as its keys are (*reviewer*): while a large or stalled erasure walk ran on, a request
        // filed past the date told the merchant the user's id, and no key of its could confirm it, left on support's list.
        var now = clock.GetUtcNow();
        var closed = merchants.Where((_, i) => ClosedMerchantKeys.EndedWith(views[i], now)).ToHashSet();
        bool Told(OutboxEvent item) => item.RecipientKind != RecipientKind.Merchant || !closed.Contains(item.Recipient);
        return (
            [.. events.Where(Told)],
            [.. events.Select(item => Told(item)
                ? new RecipientListing(causeId, item.Recipient, item.RecipientKind, item.EventId, item.Type)
                : new RecipientListing(causeId, item.Recipient, item.RecipientKind, null, null, ClosedWhenListed: true))]);
    }
}
