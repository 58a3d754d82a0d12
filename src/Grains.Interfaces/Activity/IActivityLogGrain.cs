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

    /// <summary>
    /// A page of a user's entries as support pages them: <see cref="GetUserActivityPage"/> over the entries
    /// <see cref="Privacy.SupportMasking.ShownToSupport"/> keeps, left out before the page is cut (P1.7, A.2): cut first, a
    /// page of one entry came back empty for each location post, and support counted and timed them between its neighbours.
    /// Unmasked: the caller masks what it shows.
    /// </summary>
    [Alias("of-user-page-for-support")]
    Task<ActivityPage> GetUserActivityPageForSupport(string userId, ActivityPageStart? from, int limit);
}
