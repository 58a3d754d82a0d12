namespace MeiLing.Grains.Activity;

/// <summary>
/// Appends users' activity entries in batches (P1.3). A stateless worker: any silo takes a batch and
/// writes it in one statement; entries expire after the retention period.
/// </summary>
[Alias("meiling.activity-log")]
public interface IActivityLogGrain : IGrainWithIntegerKey
{
    [Alias("append")]
    Task Append(IReadOnlyList<ActivityEntry> entries);

    /// <summary>A user's newest entries, newest first (what API hosts of the previous version ask).</summary>
    [Alias("of-user")]
    Task<IReadOnlyList<ActivityEntry>> GetUserActivity(string userId, int limit);

    /// <summary>
    /// A page of a user's entries: at most <paramref name="limit"/> (1 to 1,000), from <paramref name="from"/> (the newest
    /// when null), newest row of the log first and each page newest first. Every entry is on some page: the list never
    /// stops at a count (P1.3, P8.1).
    /// </summary>
    [Alias("of-user-page")]
    Task<ActivityPage> GetUserActivityPage(string userId, ActivityPageStart? from, int limit);
}
