namespace MeiLing.Grains.Activity;

/// <summary>
/// How many entries of each user this host's flushes keep apart in the activity log in a day (P1.3, P4.4). A flush keeps
/// each distinct request of a user as an entry (a request repeated within the flush is one entry with its count), up to
/// <see cref="ActivityCoalescing.DistinctPerUser"/>, and writes one sealed row per user, twice a second: a user varying the
/// path, search or browser on every request (each entry up to about a kilobyte and a half) stored a row of a hundred
/// entries a flush all day, kept for the retention period and opened at every export. Past the day's allowance, every
/// request of that user is still counted, on one overflow entry held here and written at most once every
/// <see cref="OverflowHeldFor"/>. The same request in two flushes is two entries: a client polling every five seconds
/// makes 17,280 a day, so the allowance is set above a person's day, not a poller's.
/// </summary>
/// <remarks>
/// Kept by each API host's activity flusher. Counted per host, as the rate limits are, and in memory: a host restarted
/// starts the day's counts anew. At most <see cref="UsersCounted"/> users are counted a day each by their own; beyond
/// them users share <see cref="SharedCounts"/> counts by a hash of their id (random per process, so nobody can aim at
/// another's), so that no number of users grows this host's memory without end, and none passes uncounted: passing
/// unbounded, the day's 200,001st user on a host varied every request into sealed rows as before. Used by the flusher
/// alone, one flush at a time.
/// </remarks>
public sealed class ActivityDailyAllowance(int entriesPerUserPerDay, TimeProvider clock)
{
    /// <summary>How long a user's overflow entry past the day's allowance is held before it is written.</summary>
    public static readonly TimeSpan OverflowHeldFor = TimeSpan.FromMinutes(1);

    /// <summary>The users counted in a day at most.</summary>
    public const int UsersCounted = 200_000;

    /// <summary>How many counts the users beyond <see cref="UsersCounted"/> share (4 MB of them, once needed).</summary>
    public const int SharedCounts = 1 << 20;

    private readonly Dictionary<string, int> _keptToday = new(StringComparer.Ordinal);
    private int[]? _sharedToday;
    private readonly Dictionary<string, (ActivityEntry Overflow, DateTimeOffset HeldSince)> _held = new(StringComparer.Ordinal);
    private DateOnly _day;

    /// <summary>When the oldest overflow entry held is due to be written; null when none is held.</summary>
    public DateTimeOffset? NextDue => _held.Count == 0 ? null : _held.Values.Min(held => held.HeldSince) + OverflowHeldFor;

    /// <summary>
    /// What of <paramref name="batch"/> (a flush's entries, each a distinct request of the flush) to write now: the entries
    /// of users within the day's allowance, and every held overflow entry due (all of them when <paramref name="releaseAll"/>,
    /// as the host stops).
    /// </summary>
    public IReadOnlyList<ActivityEntry> Admit(IReadOnlyList<ActivityEntry> batch, bool releaseAll = false)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _keptToday.Clear();
            _sharedToday = null;
        }

        var admitted = new List<ActivityEntry>(batch.Count);
        foreach (var entry in batch)
        {
            if (Keeps(entry.UserId))
            {
                admitted.Add(entry);
                continue;
            }

            var counted = _held.TryGetValue(entry.UserId, out var held) ? held.Overflow.Overflow!.DistinctRequests : 0;
            var overflow = ActivityCoalescing.IntoOverflow(held.Overflow, entry, counted + (entry.Overflow?.DistinctRequests ?? 1));
            _held[entry.UserId] = (overflow, held.Overflow is null ? now : held.HeldSince);
        }

        foreach (var (userId, held) in _held.Where(held => releaseAll || held.Value.HeldSince + OverflowHeldFor <= now).ToList())
        {
            admitted.Add(held.Overflow);
            _held.Remove(userId);
        }

        return admitted;
    }

    private bool Keeps(string userId)
    {
        if (_keptToday.TryGetValue(userId, out var kept))
        {
            if (kept >= entriesPerUserPerDay)
            {
                return false;
            }

            _keptToday[userId] = kept + 1;
            return true;
        }

        if (_keptToday.Count < UsersCounted)
        {
            _keptToday[userId] = 1;
            return true;
        }

        _sharedToday ??= new int[SharedCounts];
        ref var shared = ref _sharedToday[(uint)StringComparer.Ordinal.GetHashCode(userId) % SharedCounts];
        if (shared >= entriesPerUserPerDay)
        {
            return false;
        }

        shared++;
        return true;
    }
}
