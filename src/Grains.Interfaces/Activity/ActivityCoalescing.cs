namespace MeiLing.Grains.Activity;

/// <summary>
/// Folds a batch of activity entries so that a request repeated by the same user, from the same address and
/// browser, for the same path and search, is kept once with a count (P1.3 keeps every request; it need not keep
/// each copy). A page polling a route, or a client looping on one, then grows the log by one entry per flush,
/// not one per request, and the log costs one seal per user and flush instead of one per request.
/// </summary>
public static class ActivityCoalescing
{
    public static IReadOnlyList<ActivityEntry> Coalesce(IReadOnlyList<ActivityEntry> entries)
    {
        var folded = new Dictionary<RequestShape, ActivityEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var shape = RequestShape.Of(entry);
            folded[shape] = folded.TryGetValue(shape, out var earlier) ? Fold(earlier, entry) : entry;
        }

        return folded.Count == entries.Count ? entries : [.. folded.Values];
    }

    private static ActivityEntry Fold(ActivityEntry earlier, ActivityEntry later)
    {
        var (first, second) = earlier.At <= later.At ? (earlier, later) : (later, earlier);
        var last = first.LastAt >= second.LastAt ? first.LastAt : second.LastAt;
        return first with { Requests = first.Requests + second.Requests, Until = last };
    }

    /// <summary>Everything of a request but its time.</summary>
    private readonly record struct RequestShape(
        string UserId, string? IpAddress, string? UserAgent, string? Language, string? OperatingSystem, string Path, string? SearchTerms)
    {
        public static RequestShape Of(ActivityEntry entry) =>
            new(entry.UserId, entry.IpAddress, entry.UserAgent, entry.Language, entry.OperatingSystem, entry.Path, entry.SearchTerms);
    }
}
