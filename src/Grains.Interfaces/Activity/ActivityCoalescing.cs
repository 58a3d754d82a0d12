namespace MeiLing.Grains.Activity;

/// <summary>
/// Folds a batch of activity entries so that a request repeated by the same user, from the same address and
/// browser, for the same path and search, is kept once with a count (P1.3 keeps every request; it need not keep
/// each copy). A page polling a route, or a client looping on one, then grows the log by one entry per flush,
/// not one per request, and the log costs one seal per user and flush instead of one per request. A user who varies
/// the path or search on every request keeps at most <see cref="DistinctPerUser"/> entries apart per batch; the rest
/// are counted on one overflow entry (<see cref="ActivityEntry.Overflow"/>) with their number and time span.
/// </summary>
public static class ActivityCoalescing
{
    /// <summary>The distinct requests of one user one batch keeps as entries of their own.</summary>
    public const int DistinctPerUser = 100;

    public static IReadOnlyList<ActivityEntry> Coalesce(IReadOnlyList<ActivityEntry> entries)
    {
        var folded = new Dictionary<RequestShape, ActivityEntry>(entries.Count);
        var keptApart = new Dictionary<string, int>(StringComparer.Ordinal);
        var overflowing = new Dictionary<string, Overflowing>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var shape = RequestShape.Of(entry);
            if (entry.Overflow is null && folded.TryGetValue(shape, out var earlier))
            {
                folded[shape] = Fold(earlier, entry);
            }
            else if (entry.Overflow is null && keptApart.GetValueOrDefault(entry.UserId) < DistinctPerUser)
            {
                folded[shape] = entry;
                keptApart[entry.UserId] = keptApart.GetValueOrDefault(entry.UserId) + 1;
            }
            else
            {
                // P1.3, P4.4: beyond the distinct requests kept apart, each is still counted, on the user's one overflow entry.
                if (!overflowing.TryGetValue(entry.UserId, out var overflow))
                {
                    overflowing[entry.UserId] = overflow = new Overflowing();
                }

                overflow.Add(shape, entry);
            }
        }

        return folded.Count == entries.Count ? entries : [.. folded.Values, .. overflowing.Values.Select(overflow => overflow.Entry!)];
    }

    /// <summary>Two entries of one request as one: every request of both counted, from the first's time to the last's.</summary>
    public static ActivityEntry Fold(ActivityEntry earlier, ActivityEntry later)
    {
        var (first, second) = earlier.At <= later.At ? (earlier, later) : (later, earlier);
        var last = first.LastAt >= second.LastAt ? first.LastAt : second.LastAt;
        return first with { Requests = first.Requests + second.Requests, Until = last };
    }

    /// <summary>One user's overflow entry as a batch builds it, and the distinct requests it holds.</summary>
    private sealed class Overflowing
    {
        private readonly HashSet<RequestShape> _shapes = [];
        private int _distinctFromEarlier;

        public ActivityEntry? Entry { get; private set; }

        public void Add(RequestShape shape, ActivityEntry entry)
        {
            if (entry.Overflow is { } already)
            {
                // An overflow entry folded again (a batch of batches): its distinct requests are counted as they were.
                _distinctFromEarlier += already.DistinctRequests;
            }
            else
            {
                _shapes.Add(shape);
            }

            Entry = IntoOverflow(Entry, entry, _shapes.Count + _distinctFromEarlier);
        }
    }

    /// <summary>
    /// <paramref name="entry"/> counted on a user's overflow entry (a new one when <paramref name="overflow"/> is null),
    /// which then says it counts <paramref name="distinctRequests"/> different requests: no path or search, and the
    /// address, browser, language and system kept only where every request counted shares one.
    /// </summary>
    public static ActivityEntry IntoOverflow(ActivityEntry? overflow, ActivityEntry entry, int distinctRequests)
    {
        var counted = new ActivityOverflow(distinctRequests);
        if (overflow is not { } earlier)
        {
            return entry with { Path = "", SearchTerms = null, Overflow = counted };
        }

        return Fold(earlier, entry) with
        {
            Path = "",
            SearchTerms = null,
            IpAddress = Shared(earlier.IpAddress, entry.IpAddress),
            UserAgent = Shared(earlier.UserAgent, entry.UserAgent),
            Language = Shared(earlier.Language, entry.Language),
            OperatingSystem = Shared(earlier.OperatingSystem, entry.OperatingSystem),
            Overflow = counted,
        };
    }

    private static string? Shared(string? kept, string? next) => kept == next ? kept : null;

    /// <summary>Everything of a request but its time: two requests of one shape are folded into one entry.</summary>
    public readonly record struct RequestShape(
        string UserId, string? IpAddress, string? UserAgent, string? Language, string? OperatingSystem, string Path, string? SearchTerms)
    {
        public static RequestShape Of(ActivityEntry entry) =>
            new(entry.UserId, entry.IpAddress, entry.UserAgent, entry.Language, entry.OperatingSystem, entry.Path, entry.SearchTerms);
    }
}
