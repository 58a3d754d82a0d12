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
}
