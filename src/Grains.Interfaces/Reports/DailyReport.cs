namespace MeiLing.Grains.Reports;

/// <summary>
/// One day's takings: orders placed (not cancelled), what was paid (<see cref="GrossFen"/>), given back
/// (<see cref="RefundsFen"/>) and kept (<see cref="NetFen"/>), and per payment method the payments taken and the
/// amount kept through it (the methods' amounts add up to the net).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.daily-report")]
public sealed record DailyReport(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] string TimeZone,
    [property: Id(2)] int Orders,
    [property: Id(3)] long GrossFen,
    [property: Id(4)] long RefundsFen,
    [property: Id(5)] long NetFen,
    [property: Id(6)] IReadOnlyDictionary<string, MethodTakings> ByMethod)
{
    /// <summary>
    /// Member-card top-ups that day: money the merchant (or its staff) said it took for a card, to be found in the till
    /// like a marked payment. Not sales: in neither the gross nor a method's takings. 0 from a silo of the previous release.
    /// </summary>
    [Id(7)]
    public int TopUps { get; init; }

    /// <summary>What those top-ups put on cards.</summary>
    [Id(8)]
    public long TopUpsFen { get; init; }
}

/// <summary>Takings of one payment method in a report: payments taken, and the amount kept (paid less refunded).</summary>
[GenerateSerializer, Immutable, Alias("meiling.method-takings")]
public sealed record MethodTakings(
    [property: Id(0)] int Count,
    [property: Id(1)] long AmountFen);
