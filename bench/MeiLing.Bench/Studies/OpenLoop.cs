using System.Diagnostics;
using MeiLing.Bench.Http;

namespace MeiLing.Bench.Studies;

/// <summary>
/// A fixed-rate, open-loop load: each worker sends on a schedule, not when the last answer came, and
/// latency counts from the scheduled moment, so a stall shows in the percentiles instead of quietly
/// slowing the load (no coordinated omission). Used by consent-read-half and by bench/compare.
/// </summary>
public static class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(
        Uri api, double rate, int workers, TimeSpan duration, TimeSpan timeout, Func<int, long, HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var http = BenchHttp.Create(api, workers, timeout);
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
}

public sealed record OpenLoopResult(int Requests, int Errors, double Achieved, double P50, double P99, double Max)
{
    public override string ToString() =>
        $"requests {Requests:N0}   errors {Errors}   achieved {Achieved:N1} req/s   latency ms (from the scheduled send)   p50 {P50:0.00}   p99 {P99:0.00}   max {Max:0.00}";
}
