using System.Collections.Concurrent;

namespace MeiLing.Api.Audit;

/// <summary>
/// What each support agent listed (and each operator read) today, per API host (P1.7, P4.4): a resource an agent lists
/// again the same day (a queue refreshed, paged back and forth) is on the record once. Written every time, a 500-item page wrote 500 entries to the
/// append-only log on each refresh, and a user in the queue saw the same listing crowd their access log.
/// </summary>
public sealed class RecentListings(TimeProvider clock)
{
    // A day's listings of every agent on one host; past it the memory is let go, and listings are written again.
    private const int MaxRemembered = 200_000;

    private readonly ConcurrentDictionary<(string Agent, string ResourceId), DateOnly> _listed = new();

    /// <summary>
    /// Writes the listings not yet recorded today (<paramref name="write"/>), and only once it has written them remembers
    /// them as recorded: a write the audit log refused leaves them to be written at the next listing, never shown
    /// unrecorded then.
    /// </summary>
    public async Task RecordOnceTodayAsync<T>(string agent, IEnumerable<T> listed, Func<T, string> keyOf, Func<IReadOnlyList<T>, Task> write)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (_listed.Count > MaxRemembered)
        {
            _listed.Clear();
        }

        // Two requests of one agent listing the same resource at once may both write it: once or twice, never not at all.
        var unrecorded = listed.Where(item => !(_listed.TryGetValue((agent, keyOf(item)), out var day) && day == today)).ToList();
        if (unrecorded.Count == 0)
        {
            return;
        }

        await write(unrecorded);
        foreach (var item in unrecorded)
        {
            _listed[(agent, keyOf(item))] = today;
        }
    }
}
