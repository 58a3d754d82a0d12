namespace MeiLing.Grains.Analytics;

/// <summary>
/// De-identified sales aggregates for analytics and advertising partners (P1.11, P1.13, P3.1): no ids,
/// no person-level rows, and no group drawn from fewer than k distinct customers.
/// </summary>
[Alias("meiling.analytics")]
public interface IAnalyticsGrain : IGrainWithIntegerKey
{
    public const int MinimumGroupSize = 5;

    /// <summary>
    /// The most kept groups one export reads: a year of a busy platform's sales would otherwise be held in one silo's
    /// memory and sent in one answer. A period with more is refused (400 <c>export-too-large</c>) rather than cut short,
    /// since a partial export would read as the whole. Suppressed groups are only counted, in the database, and never
    /// count toward it: a day of many tiny groups would otherwise never be exported.
    /// </summary>
    public const int MaxGroups = 100_000;

    /// <summary>
    /// The period's figures, each day as first published: only days settled, 7 days and 15 minutes after their end (UTC: an
    /// order to be delivered stays payable 7 days, and a partner's charge begun then is confirmed within 15 minutes; 400
    /// <c>day-not-settled</c> naming <c>to</c> and the last day that can be exported otherwise), and the first export
    /// covering a day stores its groups for every later one, so two exports of the same day never differ by one order
    /// placed, refunded or paid in between (P1.13).
    /// </summary>
    [Alias("sales")]
    Task<SalesExport> ExportSales(DateOnly from, DateOnly to);
}

/// <summary>Sales by merchant, day, product and region; small groups are left out and only counted.</summary>
[GenerateSerializer, Immutable, Alias("meiling.sales-export")]
public sealed record SalesExport(
    [property: Id(0)] int K,
    [property: Id(1)] IReadOnlyList<SalesGroup> Groups,
    [property: Id(2)] int SuppressedGroups);

/// <summary>
/// One aggregate. Merchants appear under an alias that holds for this export only, so exports cannot
/// be joined to each other or to other data by merchant.
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.sales-group")]
public sealed record SalesGroup(
    [property: Id(0)] string Merchant,
    [property: Id(1)] DateOnly Day,
    [property: Id(2)] string Sku,
    [property: Id(3)] string Region,
    [property: Id(4)] int Orders,
    [property: Id(5)] long Quantity,
    [property: Id(6)] long SalesFen);
