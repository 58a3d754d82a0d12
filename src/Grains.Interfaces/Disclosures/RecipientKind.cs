namespace MeiLing.Grains.Disclosures;

/// <summary>The kinds of party outside the platform a user's data can be handed to (P3.1).</summary>
[GenerateSerializer, Alias("meiling.recipient-kind")]
public enum RecipientKind
{
    PaymentPartner = 0,
    DeliveryPartner = 1,
    Merchant = 2,
    Affiliate = 3,
    AdvertisingPartner = 4,
    AnalyticsPartner = 5,
    LegalAuthority = 6,
}
