using System.Collections.Concurrent;
using System.Reflection;

namespace MeiLing.Grains.Users;

/// <summary>
/// The user grain's view for a co-hosted API (<see cref="IActivatedUserViews"/>): published when the grain activates
/// and after every call that changed it (or failed), before that call's answer leaves, and withdrawn when it deactivates.
/// </summary>
internal sealed partial class UserGrain
{
    // Read-only calls change nothing, and are most of the calls; whether a method is one never changes.
    private static readonly ConcurrentDictionary<MethodInfo, bool> ReadOnlyMethods = new();

    private ActivatedUserView? _publishedView;

    // What the view was built from: a call after which the state is the same object at the same view revision (an
    // order's consent gate, a disclosure, a location sample) left the view as it was, and builds none.
    private UserState? _publishedFrom;
    private int _publishedRevision;

    // Read-only calls pass straight through, without a state machine of their own: they are most of the grain's calls.
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) =>
        IsReadOnly(context.InterfaceMethod) ? context.Invoke() : InvokeAndPublishAsync(context);

    private async Task InvokeAndPublishAsync(IIncomingGrainCallContext context)
    {
        var failed = true;
        try
        {
            await context.Invoke();
            failed = false;
        }
        finally
        {
            // Even a call that failed may have changed the state in memory, which the grain itself would answer from.
            if (failed || !IsPublishedViewCurrent())
            {
                PublishView();
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        WithdrawView();
        await SaveUnsavedAsync();
    }

    private void PublishView()
    {
        if (!state.RecordExists)
        {
            // Erased or never registered: the API asks the grain, which answers 404.
            WithdrawView();
            return;
        }

        _publishedView = state.State.ToView();
        _publishedFrom = state.State;
        _publishedRevision = state.State.ViewRevision;
        views.Publish(UserId, _publishedView);
    }

    private bool IsPublishedViewCurrent() =>
        state.RecordExists
            ? _publishedView is not null && ReferenceEquals(_publishedFrom, state.State) && _publishedRevision == state.State.ViewRevision
            : _publishedView is null;

    private void WithdrawView()
    {
        if (_publishedView is not null)
        {
            views.Withdraw(UserId, _publishedView);
            _publishedView = null;
            _publishedFrom = null;
        }
    }

    private static bool IsReadOnly(MethodInfo? method) =>
        method is not null && ReadOnlyMethods.GetOrAdd(method, static m => m.IsDefined(typeof(Orleans.Concurrency.ReadOnlyAttribute), inherit: false));
}
