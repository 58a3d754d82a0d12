namespace MeiLing.Bench.Scenarios;

/// <summary>A worker's slot in a load run: which one it is, its HTTP client, its random source, and its request count.</summary>
public sealed class WorkerContext(int index, int concurrency, HttpClient http)
{
    public int Index { get; } = index;

    public int Concurrency { get; } = concurrency;

    /// <summary>Shared by the workers of one load run; its pool holds one connection per worker.</summary>
    public HttpClient Http { get; } = http;

    /// <summary>This worker's own random source (not shared, so no contention).</summary>
    public Random Random { get; } = new(Random.Shared.Next());

    /// <summary>How many requests this worker has issued so far (warm-up included); the runner advances it.</summary>
    public long Sequence { get; set; }
}
