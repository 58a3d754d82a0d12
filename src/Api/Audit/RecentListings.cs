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

    /// <summary>Takes the listings not yet recorded today, and remembers them as recorded.</summary>
    public IReadOnlyList<T> NotYetToday<T>(string agent, IEnumerable<T> listed, Func<T, string> resourceIdOf)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (_listed.Count > MaxRemembered)
        {
            _listed.Clear();
        }

        return [.. listed.Where(item => FirstToday((agent, resourceIdOf(item)), today))];
    }

    // Two requests of one agent listing the same resource at once may both write it: once or twice, never not at all.
    private bool FirstToday((string Agent, string ResourceId) key, DateOnly today)
    {
        if (_listed.TryGetValue(key, out var day) && day == today)
        {
            return false;
        }

        _listed[key] = today;
        return true;
    }
}
