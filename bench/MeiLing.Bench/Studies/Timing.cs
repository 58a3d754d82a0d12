using System.Diagnostics;

namespace MeiLing.Bench.Studies;

/// <summary>Sequential timings for the studies: one request at a time, every latency kept, nearest-rank percentiles.</summary>
public static class Timing
{
    public static async Task<(double P50, double P99)> RepeatAsync(HttpClient http, Func<HttpRequestMessage> request, int times, CancellationToken cancellationToken)
    {
        var ms = new double[times];
        for (var i = 0; i < times; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var message = request();
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            ms[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
        }

        Array.Sort(ms);
        return (Percentile(ms, 0.50), Percentile(ms, 0.99));
    }

    public static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];
}
