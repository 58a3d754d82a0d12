using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// This host's request counts and latencies since it started, per route, for operators without an
/// OTLP backend (<c>GET /health/metrics</c>). Fed by ASP.NET Core's own <c>http.server.request.duration</c>
/// measurements through a <see cref="MeterListener"/>: no middleware, a few interlocked adds a request.
/// Percentiles come from fixed buckets (each about 19 % wider than the last), so they are upper bounds.
/// </summary>
public sealed class RequestMetrics : IDisposable
{
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string DurationInstrument = "http.server.request.duration";
    private const int RecentSeconds = 60;

    private readonly ConcurrentDictionary<(string Method, string Route), RouteStats> _routes = new();
    private readonly MeterListener _listener;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _startedAt;
    // One slot more than a minute: the current, partial second never overwrites one that still counts.
    private readonly long[] _recentCounts = new long[RecentSeconds + 1];
    private readonly long[] _recentStamps = new long[RecentSeconds + 1];

    public RequestMetrics(IMeterFactory meterFactory, TimeProvider clock)
    {
        _clock = clock;
        _startedAt = clock.GetUtcNow();
        // Started with the host, so the pauses before the first read are timed too.
        _ = GcPauseWatch.Shared;
        _listener = new MeterListener
        {
            // Only this host's instrument: another host in the same process (a test) has its own factory.
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument is { Name: DurationInstrument, Meter.Name: HostingMeter } && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>(OnRequest);
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>What <c>GET /health/metrics</c> answers.</summary>
    public RequestMetricsSnapshot Snapshot()
    {
        var now = _clock.GetUtcNow();
        var routes = _routes.Select(pair => pair.Value.Snapshot(pair.Key.Method, pair.Key.Route))
            .OrderByDescending(route => route.Requests)
            .ToList();
        var second = now.ToUnixTimeSeconds();
        long lastMinute = 0;
        for (var i = 0; i < _recentStamps.Length; i++)
        {
            // A slot counts only if it was written within the last minute (and not in the current, partial second).
            var stamp = Interlocked.Read(ref _recentStamps[i]);
            if (stamp < second && stamp >= second - RecentSeconds)
            {
                lastMinute += Interlocked.Read(ref _recentCounts[i]);
            }
        }

        return new RequestMetricsSnapshot(
            _startedAt,
            Math.Round((now - _startedAt).TotalSeconds, 1),
            routes.Sum(route => route.Requests),
            routes.Sum(route => route.ServerErrors),
            // Over the whole seconds this host has been up, when that is less than a minute.
            Math.Round(lastMinute / Math.Clamp(Math.Floor((now - _startedAt).TotalSeconds), 1, RecentSeconds), 2),
            routes,
            RuntimeMetrics.Now());
    }

    private void OnRequest(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string method = "", route = "(unmatched)";
        var status = 0;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "http.request.method":
                    method = tag.Value as string ?? "";
                    break;
                case "http.route":
                    route = tag.Value as string ?? route;
                    break;
                case "http.response.status_code":
                    status = Convert.ToInt32(tag.Value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        _routes.GetOrAdd((method, route), _ => new RouteStats()).Record(seconds * 1000, status);
        CountRecent(_clock.GetUtcNow().ToUnixTimeSeconds());
    }

    // A ring of per-second counters; a slot from a minute ago is reset by the first request that reuses it.
    private void CountRecent(long second)
    {
        var slot = (int)(second % _recentStamps.Length);
        var stamp = Interlocked.Read(ref _recentStamps[slot]);
        if (stamp != second && Interlocked.CompareExchange(ref _recentStamps[slot], second, stamp) == stamp)
        {
            Interlocked.Exchange(ref _recentCounts[slot], 0);
        }

        Interlocked.Increment(ref _recentCounts[slot]);
    }

    private sealed class RouteStats
    {
        // Upper bounds in milliseconds: 0.1 ms to ~60 s, 19 % apart; the last bucket holds the rest.
        private static readonly double[] Bounds = [.. Enumerable.Range(0, 78).Select(i => 0.1 * Math.Pow(1.19, i))];

        private readonly long[] _buckets = new long[Bounds.Length + 1];
        private long _requests;
        private long _clientErrors;
        private long _serverErrors;
        private long _unavailable;
        private long _totalMicroseconds;
        private long _maxMicroseconds;

        public void Record(double milliseconds, int status)
        {
            var bucket = Array.BinarySearch(Bounds, milliseconds);
            Interlocked.Increment(ref _buckets[bucket >= 0 ? bucket : ~bucket]);
            Interlocked.Increment(ref _requests);
            var micro = (long)(milliseconds * 1000);
            Interlocked.Add(ref _totalMicroseconds, micro);
            var max = Interlocked.Read(ref _maxMicroseconds);
            while (micro > max && Interlocked.CompareExchange(ref _maxMicroseconds, micro, max) != max)
            {
                max = Interlocked.Read(ref _maxMicroseconds);
            }

            switch (status)
            {
                case 503:
                    Interlocked.Increment(ref _unavailable);
                    Interlocked.Increment(ref _serverErrors);
                    break;
                case >= 500:
                    Interlocked.Increment(ref _serverErrors);
                    break;
                case >= 400:
                    Interlocked.Increment(ref _clientErrors);
                    break;
            }
        }

        public RouteMetrics Snapshot(string method, string route)
        {
            var counts = (long[])_buckets.Clone();
            var requests = counts.Sum();
            var maxMs = Interlocked.Read(ref _maxMicroseconds) / 1000.0;
            double Percentile(double quantile)
            {
                long seen = 0;
                for (var i = 0; i < counts.Length; i++)
                {
                    seen += counts[i];
                    if (seen >= quantile * requests)
                    {
                        return Math.Round(Math.Min(i < Bounds.Length ? Bounds[i] : maxMs, maxMs), 2);
                    }
                }

                return maxMs;
            }

            return new RouteMetrics(
                method,
                route,
                Interlocked.Read(ref _requests),
                Interlocked.Read(ref _clientErrors),
                Interlocked.Read(ref _serverErrors),
                Interlocked.Read(ref _unavailable),
                requests == 0 ? 0 : Math.Round(Interlocked.Read(ref _totalMicroseconds) / 1000.0 / requests, 2),
                requests == 0 ? 0 : Percentile(0.50),
                requests == 0 ? 0 : Percentile(0.95),
                requests == 0 ? 0 : Percentile(0.99),
                Math.Round(maxMs, 2));
        }
    }
}

/// <summary>
/// Requests served since <see cref="Since"/>, the rate over the last minute, each route's figures, and the process's
/// collector and thread pool.
/// </summary>
public sealed record RequestMetricsSnapshot(
    DateTimeOffset Since,
    double UptimeSeconds,
    long Requests,
    long ServerErrors,
    double RequestsPerSecondLastMinute,
    IReadOnlyList<RouteMetrics> Routes,
    RuntimeMetrics Runtime);

/// <summary>One route's requests since start: errors by class (503s are also server errors) and latency in milliseconds.</summary>
public sealed record RouteMetrics(
    string Method,
    string Route,
    long Requests,
    long ClientErrors,
    long ServerErrors,
    long Unavailable,
    double MeanMs,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs);
