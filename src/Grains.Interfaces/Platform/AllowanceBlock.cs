namespace MeiLing.Grains.Platform;

/// <summary>
/// Uses of a party's day taken at once (<see cref="IDailyAllowanceGrain.TakeBlock"/>): how many, and how long the day they
/// belong to has left, after which any left of them are worth nothing. A span, not a moment: the silo holding them reads
/// it by its own clock, which may differ from the clock of the silo that counted them.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.allowance-block")]
public sealed record AllowanceBlock([property: Id(0)] int Granted, [property: Id(1)] TimeSpan DayLeft);
