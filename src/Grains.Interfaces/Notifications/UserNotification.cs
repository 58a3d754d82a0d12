namespace MeiLing.Grains.Notifications;

/// <summary>A notice to a user, e.g. that a merchant they used is closing (P4.3).</summary>
[GenerateSerializer, Immutable, Alias("meiling.user-notification")]
public sealed record UserNotification(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] string? MerchantId,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] DateTimeOffset? EffectiveAt);
