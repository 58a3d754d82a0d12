namespace MeiLing.Grains.Platform;

/// <summary>
/// Calls one grain per id, a bounded number at a time, and gathers the answers in order. Awaited in a grain turn it
/// stays on that grain's scheduler (grain calls must not leave it); a thousand calls one after another take seconds,
/// a thousand at once swamp the silo.
/// </summary>
public static class GrainFanOut
{
    public const int DefaultWidth = 32;

    public static async Task<IReadOnlyList<T>> CallEachAsync<T>(IEnumerable<string> ids, Func<string, Task<T>> call, int width = DefaultWidth)
    {
        var answers = new List<T>();
        foreach (var batch in ids.Chunk(width))
        {
            answers.AddRange(await Task.WhenAll(batch.Select(call)));
        }

        return answers;
    }
}
