using MeiLing.Grains.Privacy;
namespace MeiLing.Grains.Activity;

// Holds nothing between calls, which wait on PostgreSQL: one call at a time per worker (a worker per core) would queue
// every caller behind the slowest query on the silo.
[StatelessWorker]
[Reentrant]
internal sealed class ActivityLogGrain(ActivityLogStore store) : Grain, IActivityLogGrain
{
    private const int MaxShown = 1000;

    Task IActivityLogGrain.Append(IReadOnlyList<ActivityEntry> entries) =>
        entries.Count == 0 ? Task.CompletedTask : store.AppendAsync(entries);

    Task<IReadOnlyList<ActivityEntry>> IActivityLogGrain.GetUserActivity(string userId, int limit) =>
        store.ListAsync(userId, Math.Clamp(limit, 1, MaxShown));

    Task<ActivityPage> IActivityLogGrain.GetUserActivityPage(string userId, ActivityPageStart? from, int limit) =>
        store.PageAsync(userId, from, Math.Clamp(limit, 1, MaxShown));

    Task<ActivityPage> IActivityLogGrain.GetUserActivityPageForSupport(string userId, ActivityPageStart? from, int limit) =>
        store.PageAsync(userId, from, Math.Clamp(limit, 1, MaxShown), SupportMasking.ShownToSupport);
}
