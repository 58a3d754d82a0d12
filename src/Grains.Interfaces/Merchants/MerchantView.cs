namespace MeiLing.Grains.Merchants;

/// <summary>A merchant as callers see it.</summary>
[GenerateSerializer, Immutable, Alias("meiling.merchant-view")]
public sealed record MerchantView(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Region,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] MerchantStatus Status,
    [property: Id(5)] DateTimeOffset? TerminationEffectiveAt,
    [property: Id(6)] string TimeZone = MerchantTimeZones.Default);

/// <summary>Whether a merchant trades, is serving its notice (P4.3), or has closed.</summary>
[GenerateSerializer, Alias("meiling.merchant-status")]
public enum MerchantStatus
{
    Active = 0,
    Terminating = 1,
    Terminated = 2,
}
