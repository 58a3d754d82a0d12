namespace MeiLing.Grains.Consents;

/// <summary>The optional purposes a user consents to one by one (P1.2, P1.8, P1.9, P1.12).</summary>
[GenerateSerializer, Alias("meiling.consent-purpose")]
public enum ConsentPurpose
{
    Location = 0,
    Album = 1,
    Calendar = 2,
    Personalization = 3,
    Notifications = 4,
    MarketingSharing = 5,
    ThirdPartySources = 6,
}
