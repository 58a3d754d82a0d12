using MeiLing.Bench.Http;
using MeiLing.Bench.Load;
using MeiLing.Bench.Reporting;
using MeiLing.Bench.Scenarios;

namespace MeiLing.Bench.Studies;

/// <summary>
/// consent-read at a fixed rate of half its peak in this run (open loop): each worker sends on a
/// schedule, not when the last answer came, and latency counts from the scheduled moment, so a stall
/// shows in the percentiles instead of quietly slowing the load (no coordinated omission).
/// Run it after consent-read; the peak is the best throughput consent-read reached at any concurrency.
/// Then the same schedule against /v1/ping: the p99 the machine itself gives any request at that rate.
/// </summary>
public sealed class HalfLoadStudy : Study
{
    public override string Name => "consent-read-half";

    public override string Description => "consent-read at a fixed rate of half its measured peak (open loop); p99";

    public override async Task RunAsync(BenchContext context, IReadOnlyList<Measurement> measured, StudyFigures figures, CancellationToken cancellationToken)
    {
        var peak = measured.Where(m => m.Result.Scenario == "consent-read").MaxBy(m => m.Result.Throughput)?.Result
            ?? throw new InvalidOperationException("consent-read did not run before it in this run: put consent-read earlier in --scenario");
        var rate = peak.Throughput / 2;
        var workers = peak.Concurrency;
        var pool = await context.UsersAsync(cancellationToken);
        var api = context.Options.Api;
        var reads = pool.Users.Select(user => RawHttpConnection.EncodeGet(api, ApiRequests.ConsentsPath(user.UserId), user.Token)).ToArray();
        var consentRead = await OpenLoopAsync(context, rate, workers, (w, k) => reads[(int)((w + (k * workers)) % reads.Length)], cancellationToken);

        // The same schedule against the constant endpoint: the tail this machine gives any request at
        // this rate, with the API host, the silo and PostgreSQL all sharing its cores.
        var pingRequest = RawHttpConnection.EncodeGet(api, ApiRequests.PingPath, bearer: null);
        var ping = await OpenLoopAsync(context, rate, workers, (_, _) => pingRequest, cancellationToken);

        context.Log.WriteLine($"   peak consent-read {peak.Throughput:N1} req/s at concurrency {peak.Concurrency}; target rate {rate:N1} req/s on {workers} workers");
        context.Log.WriteLine($"   consent-read: {consentRead}");
        context.Log.WriteLine($"   ping, same schedule: {ping}");
        figures.Set(StudyFigures.HalfLoadP99, consentRead.P99);
        figures.Set(StudyFigures.HalfLoadPingP99, ping.P99);
        figures.Set(StudyFigures.HalfLoadRate, consentRead.Achieved);
    }

    private static Task<OpenLoopResult> OpenLoopAsync(
        BenchContext context, double rate, int workers, Func<int, long, ReadOnlyMemory<byte>> request, CancellationToken cancellationToken) =>
        OpenLoop.RunAsync(context.Options.Api, rate, workers, context.Options.Warmup, context.Options.Duration, context.Options.Timeout, request, cancellationToken);
}
