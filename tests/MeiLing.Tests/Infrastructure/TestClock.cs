using System.Collections.Concurrent;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// The silos' clock in tests: real time plus an offset a test can move forward, one per test cluster,
/// so a test can let 30 days of notice pass without touching other clusters.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private static readonly ConcurrentDictionary<string, TestClock> Clocks = new();

    private long _offsetTicks;

    public static TestClock For(string id) => Clocks.GetOrAdd(id, _ => new TestClock());

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
