using System.Runtime.CompilerServices;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Calls one grain per id, a bounded number at a time, and gathers the answers in order. Awaited in a grain turn it
/// stays on that grain's scheduler (grain calls must not leave it); a thousand calls one after another take seconds,
/// a thousand at once swamp the silo.
/// </summary>
/// <remarks>
/// Each of <c>width</c> lanes takes the next id as soon as its call answers, so one slow grain (an activation reading
/// its state) holds up only its lane, where calls sent in fixed batches each waited for the slowest of their batch.
/// </remarks>
public static class GrainFanOut
{
    public const int DefaultWidth = 32;

    public static async Task<IReadOnlyList<T>> CallEachAsync<T>(IEnumerable<string> ids, Func<string, Task<T>> call, int width = DefaultWidth)
    {
        IReadOnlyList<string> all = ids as IReadOnlyList<string> ?? [.. ids];
        var answers = new T[all.Count];
        var taken = -1;

        async Task LaneAsync()
        {
            // Interlocked: off a grain's scheduler (a test, a client) the lanes' continuations run in parallel.
            for (var next = Interlocked.Increment(ref taken); next < all.Count; next = Interlocked.Increment(ref taken))
            {
                answers[next] = await call(all[next]);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(width, all.Count)).Select(_ => LaneAsync()));
        return answers;
    }

    /// <summary>
    /// Calls one grain per id as the ids come, at most <paramref name="width"/> at a time, and yields the answers in the
    /// ids' order as they arrive: a caller of many grains holds <paramref name="width"/> answers at most, never all.
    /// </summary>
    public static async IAsyncEnumerable<T> StreamEachAsync<T>(
        IAsyncEnumerable<string> ids, Func<string, Task<T>> call, int width = DefaultWidth,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var inFlight = new Queue<Task<T>>(width);
        await foreach (var id in ids.WithCancellation(cancellationToken))
        {
            if (inFlight.Count >= width)
            {
                yield return await inFlight.Dequeue();
            }

            inFlight.Enqueue(call(id));
        }

        while (inFlight.Count > 0)
        {
            yield return await inFlight.Dequeue();
        }
    }
}
