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
}
