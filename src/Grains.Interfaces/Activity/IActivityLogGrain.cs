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

    /// <summary>A user's entries, newest first.</summary>
    [Alias("of-user")]
    Task<IReadOnlyList<ActivityEntry>> GetUserActivity(string userId, int limit);
}
