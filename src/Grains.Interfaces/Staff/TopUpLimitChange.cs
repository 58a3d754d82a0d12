namespace MeiLing.Grains.Staff;

/// <summary>
/// A merchant setting a cashier's daily top-up limit (fen; null: the platform's default). <see cref="ChangedBy"/> is the
/// manager who set it, null for the merchant key: a manager who raises a cashier's limit before the cashier tops up a
/// friend's card for nothing is named on the cashier's record, not lost.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.top-up-limit-change")]
public sealed record TopUpLimitChange(
    [property: Id(0)] long? PerDayFen,
    [property: Id(1)] string? ChangedBy = null);
