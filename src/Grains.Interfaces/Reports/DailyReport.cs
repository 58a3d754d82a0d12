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

    /// <summary>
    /// Those top-ups per staff member who made them, most money first, so a till short of them points at the cashier;
    /// the merchant's own key is one entry with a null <c>staffId</c>. At most one entry per staff member a merchant can
    /// enrol and one for its key (10,001). Top-ups that name no one (made before this was recorded, or through an API
    /// host of the previous release) are in <c>topUps</c> only. Empty from a silo of the previous release.
    /// </summary>
    [Id(9)]
    public IReadOnlyList<StaffTakings> TopUpsByStaff { get; init; } = [];

    /// <summary>
    /// The day's marked (cash) payments per staff member who recorded them, most money first, as for top-ups: a cashier
    /// marking orders paid without taking the cash leaves the till short and is named here. Payments recorded before the
    /// ledger named anyone are in <c>byMethod</c> only. Empty from a silo of the previous release.
    /// </summary>
    [Id(10)]
    public IReadOnlyList<StaffTakings> MarkedPaymentsByStaff { get; init; } = [];

    /// <summary>The day's refunds per staff member who gave them, most money first, as for top-ups.</summary>
    [Id(11)]
    public IReadOnlyList<StaffTakings> RefundsByStaff { get; init; } = [];
}

/// <summary>
/// One staff member's share of a kind of takings in a report (top-ups, marked payments, refunds): how many and how much;
/// <c>staffId</c> null for the merchant's own key. (First written for top-ups alone: the alias keeps that name.)
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.staff-top-ups")]
public sealed record StaffTakings(
    [property: Id(0)] string? StaffId,
    [property: Id(1)] int Count,
    [property: Id(2)] long AmountFen);

/// <summary>Takings of one payment method in a report: payments taken, and the amount kept (paid less refunded).</summary>
[GenerateSerializer, Immutable, Alias("meiling.method-takings")]
public sealed record MethodTakings(
    [property: Id(0)] int Count,
    [property: Id(1)] long AmountFen);
