namespace MeiLing.Bench.Load;

/// <summary>One measurement: a scenario at one concurrency.</summary>
public sealed record LoadResult(
    string Scenario,
    int Concurrency,
    long Requests,
    IReadOnlyDictionary<string, long> Errors,
    TimeSpan Elapsed,
    LatencySummary Latency)
{
    public long ErrorCount => Errors.Values.Sum();

    public double Throughput => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
}
