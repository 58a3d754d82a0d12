using System.Diagnostics;
using MeiLing.Bench.Http;
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
        var consentRead = await OpenLoopAsync(context, rate, workers,
            (w, k) => { var user = pool.Users[(int)((w + (k * workers)) % pool.Count)]; return ApiRequests.GetConsents(user.UserId, user.Token); },
            cancellationToken);

        // The same schedule against the constant endpoint: the tail this machine gives any request at
        // this rate, with the API host, the silo and PostgreSQL all sharing its cores.
        var ping = await OpenLoopAsync(context, rate, workers, (_, _) => ApiRequests.Ping(), cancellationToken);

        context.Log.WriteLine($"   peak consent-read {peak.Throughput:N1} req/s at concurrency {peak.Concurrency}; target rate {rate:N1} req/s on {workers} workers");
        context.Log.WriteLine($"   consent-read: {consentRead}");
        context.Log.WriteLine($"   ping, same schedule: {ping}");
        figures.Set(StudyFigures.HalfLoadP99, consentRead.P99);
        figures.Set(StudyFigures.HalfLoadPingP99, ping.P99);
        figures.Set(StudyFigures.HalfLoadRate, consentRead.Achieved);
    }

    private static async Task<OpenLoopResult> OpenLoopAsync(
        BenchContext context, double rate, int workers, Func<int, long, HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var http = BenchHttp.Create(context.Options.Api, workers, context.Options.Timeout);
        var duration = context.Options.Duration;
        var interval = Stopwatch.Frequency * workers / rate; // ticks between one worker's sends
        var latencies = new List<double>[workers];
        var errors = 0;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = latencies[w] = [];
            for (long k = 0; ; k++)
            {
                var scheduled = start + (long)(((k * workers) + w) * interval / workers);
                if (scheduled >= end || cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                using var response = await http.SendAsync(request(w, k), HttpCompletionOption.ResponseContentRead, cancellationToken);
                mine.Add(Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new OpenLoopResult(all.Length, errors, all.Length / duration.TotalSeconds,
            Timing.Percentile(all, 0.50), Timing.Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1]);
    }

    private sealed record OpenLoopResult(int Requests, int Errors, double Achieved, double P50, double P99, double Max)
    {
        public override string ToString() =>
            $"requests {Requests:N0}   errors {Errors}   achieved {Achieved:N1} req/s   latency ms (from the scheduled send)   p50 {P50:0.00}   p99 {P99:0.00}   max {Max:0.00}";
    }
}
