using System.Text.Json;

namespace MeiLing.Tests.Operations;

[Collection(PlatformCollection.Name)]
public sealed class RequestMetricsTests(PlatformFixture platform)
{
    [Fact]
    public async Task Health_metrics_counts_requests_per_route_with_latencies_for_operators()
    {
        var client = platform.Operator();
        var before = PingCount(await client.GetFromJsonAsync<JsonElement>("/health/metrics"));
        await client.GetAsync("/v1/ping");
        await client.GetAsync("/v1/ping");

        // ASP.NET Core records a request's duration as the request ends, just after the client has its answer.
        JsonElement metrics;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(5);
        do
        {
            metrics = await client.GetFromJsonAsync<JsonElement>("/health/metrics");
        }
        while (PingCount(metrics) < before + 2 && DateTimeOffset.UtcNow < deadline);

        Assert.True(PingCount(metrics) >= before + 2);
        var ping = PingRoute(metrics)!.Value;
        Assert.True(ping.GetProperty("p99Ms").GetDouble() >= ping.GetProperty("p50Ms").GetDouble());
        Assert.True(ping.GetProperty("maxMs").GetDouble() > 0);
        Assert.True(metrics.GetProperty("requests").GetInt64() >= 2);
    }

    [Fact]
    public async Task Health_metrics_show_the_hosts_collector_and_thread_pool()
    {
        var runtime = (await platform.Operator().GetFromJsonAsync<JsonElement>("/health/metrics")).GetProperty("runtime");

        Assert.True(runtime.GetProperty("gcPauseMs").GetDouble() >= 0);
        Assert.True(runtime.GetProperty("allocatedBytes").GetInt64() > 0);
        Assert.True(runtime.GetProperty("threadPoolThreads").GetInt32() > 0);
        Assert.True(runtime.GetProperty("threadPoolCompleted").GetInt64() > 0);
        Assert.True(runtime.GetProperty("gen0Collections").GetInt32() >= runtime.GetProperty("gen2Collections").GetInt32());
    }

    private static long PingCount(JsonElement metrics) => PingRoute(metrics)?.GetProperty("requests").GetInt64() ?? 0;

    private static JsonElement? PingRoute(JsonElement metrics) =>
        metrics.GetProperty("routes").EnumerateArray()
            .Where(route => route.GetProperty("route").GetString() == "/v1/ping" && route.GetProperty("method").GetString() == "GET")
            .Select(route => (JsonElement?)route)
            .FirstOrDefault();
}
