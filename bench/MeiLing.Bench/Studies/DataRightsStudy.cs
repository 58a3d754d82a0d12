using System.Diagnostics;
using MeiLing.Bench.Http;
using MeiLing.Bench.Reporting;
using MeiLing.Bench.Scenarios;
using MeiLing.Bench.Scenarios.Commerce;

namespace MeiLing.Bench.Studies;

/// <summary>
/// What a user's data rights cost as their history grows: for users with 10, 100 and 1,000 orders
/// (placed through the API), the export of a completed access request, and a cancellation (注销) from
/// filing to completed. The silo starts a request at once; its reminder only re-drives an unfinished one.
/// A merchant places at most <see cref="OrderAllowance.PerMerchantPerUserPerDay"/> orders a day for one user, so the
/// 1,000 orders come from as many merchants as that takes (two), in turn.
/// </summary>
public sealed class DataRightsStudy : Study
{
    private const int PlaceParallelism = 8;
    private const int ExportRepeats = 5;
    private static readonly int[] OrderCounts = [10, 100, 1_000];
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public override string Name => "data-rights";

    public override string Description => "export ms and cancellation s for users with 10, 100 and 1,000 orders";

    public override async Task RunAsync(BenchContext context, IReadOnlyList<Measurement> measured, StudyFigures figures, CancellationToken cancellationToken)
    {
        var api = context.Api;
        List<Merchant> merchants = [await context.MerchantAsync(cancellationToken)];
        var support = await api.CallAsync(ApiRequests.CreateStaff(api.RequireOperatorKey(), new StaffBody("bench support", "support")),
            WireJson.Default.StaffCreated, cancellationToken);
        using var http = BenchHttp.Create(context.Options.Api, 1, context.Options.Timeout);
        var rows = new List<string>();
        foreach (var orders in OrderCounts)
        {
            var user = (await UserPool.CreateAsync(api, 1, cancellationToken)).Users[0];
            var placedBy = OrderAllowance.MerchantsFor(orders);
            while (merchants.Count < placedBy)
            {
                merchants.Add(await Merchant.CreateAsync(api, $"bench shop {merchants.Count + 1}", cancellationToken));
            }

            var placing = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(Enumerable.Range(0, orders),
                new ParallelOptions { MaxDegreeOfParallelism = PlaceParallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var merchant = merchants[i % placedBy];
                    await merchant.PlaceAsync(api, merchant.EverydayOrder(user.UserId, new Random(i)), ct);
                });
            context.Log.WriteLine($"   setup: {orders:N0} orders placed for {user.UserId} by {placedBy} merchant(s) in {Stopwatch.GetElapsedTime(placing).TotalSeconds:0.0} s");

            var access = await FileAndWaitAsync(api, user, "access", support.ApiKey, cancellationToken);
            long bytes;
            using (var first = await http.SendAsync(ApiRequests.Export(access.RequestId, user.Token), cancellationToken))
            {
                bytes = (await first.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync(cancellationToken)).LongLength;
            }

            var export = await Timing.RepeatAsync(http, () => ApiRequests.Export(access.RequestId, user.Token), ExportRepeats, cancellationToken);
            var cancelling = Stopwatch.GetTimestamp();
            await FileAndWaitAsync(api, user, "cancellation", support.ApiKey, cancellationToken);
            var cancellation = Stopwatch.GetElapsedTime(cancelling).TotalSeconds;
            rows.Add($"   {orders,8:N0}{bytes,14:N0}{export.P50,12:0.0}{cancellation,16:0.00}");
            if (orders == 1_000)
            {
                figures.Set(StudyFigures.Export1000Ms, export.P50);
            }
        }

        context.Log.WriteLine($"   data rights by order count (export: p50 of {ExportRepeats} sequential GETs after one untimed)");
        context.Log.WriteLine($"   {"orders",8}{"export bytes",14}{"export ms",12}{"cancellation s",16}");
        foreach (var row in rows)
        {
            context.Log.WriteLine(row);
        }
    }

    private static async Task<DataRightsRequestState> FileAndWaitAsync(
        ApiClient api, PoolUser user, string type, string supportKey, CancellationToken cancellationToken)
    {
        var filed = await api.CallAsync(ApiRequests.FileRequest(user.UserId, user.Token, new DataRightsRequestBody(type)),
            WireJson.Default.DataRightsRequestState, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            // Polled as support: after a cancellation completes, the user's own token no longer works.
            var state = await api.CallAsync(ApiRequests.GetRequest(filed.RequestId, supportKey), WireJson.Default.DataRightsRequestState, cancellationToken);
            switch (state.Status)
            {
                case "completed":
                    return state;
                case "rejected":
                    throw new InvalidOperationException($"the {type} request {state.RequestId} was rejected");
            }

            if (Stopwatch.GetElapsedTime(started) > GiveUpAfter)
            {
                throw new TimeoutException($"the {type} request {state.RequestId} is still {state.Status} after {GiveUpAfter.TotalMinutes} min");
            }

            await Task.Delay(PollEvery, cancellationToken);
        }
    }
}
