namespace MeiLing.Grains.Activity;

[StatelessWorker]
internal sealed class ActivityLogGrain(ActivityLogStore store) : Grain, IActivityLogGrain
{
    private const int MaxShown = 1000;

    Task IActivityLogGrain.Append(IReadOnlyList<ActivityEntry> entries) =>
        entries.Count == 0 ? Task.CompletedTask : store.AppendAsync(entries);

    Task<IReadOnlyList<ActivityEntry>> IActivityLogGrain.GetUserActivity(string userId, int limit) =>
        store.ListAsync(userId, Math.Clamp(limit, 1, MaxShown));
}
