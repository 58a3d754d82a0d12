using System.Collections.Concurrent;

namespace MeiLing.Grains.Users;

/// <summary>This silo's <see cref="IActivatedUserViews"/>: one entry per user grain activated here whose user exists.</summary>
public sealed class ActivatedUserViews : IActivatedUserViews
{
    private readonly ConcurrentDictionary<string, ActivatedUserView> _views = new(StringComparer.Ordinal);

    public ActivatedUserView? Find(string userId) => _views.TryGetValue(userId, out var view) ? view : null;

    public void Publish(string userId, ActivatedUserView view) => _views[userId] = view;

    /// <summary>Takes the user's view away, unless another view replaced it meanwhile (a later activation's).</summary>
    public void Withdraw(string userId, ActivatedUserView view) => _views.TryRemove(KeyValuePair.Create(userId, view));
}
