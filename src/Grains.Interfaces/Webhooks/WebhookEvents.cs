namespace MeiLing.Grains.Webhooks;

/// <summary>The event types a merchant's webhook receives, as named on the wire.</summary>
public static class WebhookEvents
{
    public const string CustomerRedact = "customer.redact";
    public const string CustomerDataRequest = "customer.data_request";
    public const string CustomerUpdated = "customer.updated";
    public const string ConsentWithdrawn = "consent.withdrawn";
    public const string ShopRedact = "shop.redact";
    public const string MemberCardSettled = "member_card.settled";

    public static IReadOnlyList<string> All { get; } =
        [CustomerRedact, CustomerDataRequest, CustomerUpdated, ConsentWithdrawn, ShopRedact, MemberCardSettled];

    /// <summary>
    /// The notices of a user's rights (erasure, correction, a consent withdrawn, the shop's own erasure): every
    /// recipient hears of them (P3.1, P4.1), so an endpoint takes them whatever event types it names.
    /// </summary>
    public static IReadOnlyList<string> Required { get; } = [CustomerRedact, CustomerUpdated, ConsentWithdrawn, ShopRedact];

    /// <summary>What an endpoint naming <paramref name="named"/> takes: every type when none is named, else those and the required ones, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> TakenBy(IReadOnlyCollection<string> named) =>
        named.Count == 0 ? All : [.. All.Where(type => named.Contains(type) || Required.Contains(type))];
}
