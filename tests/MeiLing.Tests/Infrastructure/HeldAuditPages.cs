using System.Collections.Concurrent;
using MeiLing.Grains.Audit;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// The test silos' reads of the audit chain's walk, through which a test can hold a walk halfway (its page reads wait until
/// let go) and count the pages it read: to show what goes on while a walk runs, and that it runs a page at a time. Each
/// cluster's holds and counts are its own (keyed by its <see cref="TestClock"/>), so a hold never stalls another collection.
/// </summary>
public sealed class HeldAuditPages(TestClock cluster, IAuditChainStore store) : IAuditChainStore
{
    private static readonly ConcurrentDictionary<TestClock, TaskCompletionSource> Holds = new();
    private static readonly ConcurrentDictionary<TestClock, int> WaitingReads = new();
    private static readonly ConcurrentDictionary<TestClock, int> PagesRead = new();
    private static readonly ConcurrentDictionary<TestClock, int> ChecksArrived = new();

    /// <summary>Wraps the silo's store of the chain's walk, and counts the checks that reach the watch.</summary>
    public static void InstallIn(ISiloBuilder silo, TestClock cluster)
    {
        silo.Services.AddSingleton<IAuditChainStore>(provider =>
            new HeldAuditPages(cluster, ActivatorUtilities.CreateInstance<AuditChainStore>(provider)));
        silo.AddIncomingGrainCallFilter(new CheckArrivals(cluster));
    }

    /// <summary>Holds every page read of <paramref name="cluster"/>'s walks until disposed.</summary>
    public static IDisposable Hold(TestClock cluster)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Holds[cluster] = released;
        return new Release(cluster, released);
    }

    /// <summary>How many page reads of <paramref name="cluster"/>'s walks wait on a hold now.</summary>
    public static int Waiting(TestClock cluster) => WaitingReads.GetValueOrDefault(cluster);

    /// <summary>How many pages <paramref name="cluster"/>'s walks have read so far.</summary>
    public static int Pages(TestClock cluster) => PagesRead.GetValueOrDefault(cluster);

    /// <summary>
    /// How many calls of <see cref="IAuditChainWatchGrain.Check"/> have begun to run in <paramref name="cluster"/>'s watch: a
    /// call counted here has reached the grain, not merely been sent.
    /// </summary>
    public static int Checks(TestClock cluster) => ChecksArrived.GetValueOrDefault(cluster);

    public Task<AuditChainEnds> ReadEndsAsync() => store.ReadEndsAsync();

    public async Task<IReadOnlyList<AuditRecord>> ReadPageAsync(long after, long upTo, int limit)
    {
        if (Holds.TryGetValue(cluster, out var released) && !released.Task.IsCompleted)
        {
            WaitingReads.AddOrUpdate(cluster, 1, (_, count) => count + 1);
            try
            {
                await released.Task;
            }
            finally
            {
                WaitingReads.AddOrUpdate(cluster, 0, (_, count) => count - 1);
            }
        }

        var page = await store.ReadPageAsync(after, upTo, limit);
        PagesRead.AddOrUpdate(cluster, 1, (_, count) => count + 1);
        return page;
    }

    private sealed class CheckArrivals(TestClock cluster) : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.DeclaringType == typeof(IAuditChainWatchGrain) && context.InterfaceMethod.Name == nameof(IAuditChainWatchGrain.Check))
            {
                ChecksArrived.AddOrUpdate(cluster, 1, (_, count) => count + 1);
            }

            return context.Invoke();
        }
    }

    private sealed class Release(TestClock cluster, TaskCompletionSource released) : IDisposable
    {
        public void Dispose()
        {
            released.TrySetResult();
            Holds.TryRemove(new KeyValuePair<TestClock, TaskCompletionSource>(cluster, released));
        }
    }
}
