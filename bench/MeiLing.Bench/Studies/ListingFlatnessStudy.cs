using MeiLing.Bench.Http;
using MeiLing.Bench.Reporting;
using MeiLing.Bench.Scenarios;
using MeiLing.Bench.Scenarios.Commerce;

namespace MeiLing.Bench.Studies;

/// <summary>
/// Is a listing page as cheap at 100,000 orders as at 1,000 (the keyset cursor's promise)? Two merchants
/// are seeded via COPY into order_index; the first page and page 51 (50 cursors in) of each are timed
/// one request at a time.
/// </summary>
public sealed class ListingFlatnessStudy : Study
{
    private const int Small = 1_000;
    private const int Large = 100_000;
    private const int DeepPage = 50;
    private const int Repeats = 300;

    public override string Name => "listing-flatness";

    public override string Description => $"listing p50/p99, first page and page {DeepPage + 1}, at {Small:N0} vs {Large:N0} orders (COPY-seeded)";

    public override async Task RunAsync(BenchContext context, IReadOnlyList<Measurement> measured, StudyFigures figures, CancellationToken cancellationToken)
    {
        var small = await context.ListingMerchantAsync(Small, DeepPage, cancellationToken);
        var large = await context.ListingMerchantAsync(Large, DeepPage, cancellationToken);
        context.Log.WriteLine($"   note: {Small:N0} and {Large:N0} rows COPYed straight into order_index (listing rows only, no order grains behind them)");
        using var http = BenchHttp.Create(context.Options.Api, 1, context.Options.Timeout);
        // Unmeasured warm-up: the listing grain, the connection, PostgreSQL's buffers.
        await Timing.RepeatAsync(http, small.FirstPageRequest, 50, cancellationToken);
        await Timing.RepeatAsync(http, large.DeepPageRequest, 50, cancellationToken);

        var rows = new List<(string Page, (double P50, double P99) Small, (double P50, double P99) Large)>
        {
            ("first page", await Timing.RepeatAsync(http, small.FirstPageRequest, Repeats, cancellationToken),
                await Timing.RepeatAsync(http, large.FirstPageRequest, Repeats, cancellationToken)),
            ($"page {small.DeepPageNumber} / {large.DeepPageNumber}", await Timing.RepeatAsync(http, small.DeepPageRequest, Repeats, cancellationToken),
                await Timing.RepeatAsync(http, large.DeepPageRequest, Repeats, cancellationToken)),
        };

        context.Log.WriteLine($"   listing at {Small:N0} vs {Large:N0} orders (limit 20, {Repeats} sequential requests each, ms)");
        context.Log.WriteLine($"   {"page",-16}{$"{Small:N0} p50",12}{$"{Small:N0} p99",12}{$"{Large:N0} p50",14}{$"{Large:N0} p99",14}");
        foreach (var (page, s, l) in rows)
        {
            context.Log.WriteLine($"   {page,-16}{s.P50,12:0.00}{s.P99,12:0.00}{l.P50,14:0.00}{l.P99,14:0.00}");
            figures.Set($"listing-{page}-{Small}-p50", s.P50);
            figures.Set($"listing-{page}-{Large}-p50", l.P50);
        }
    }
}
