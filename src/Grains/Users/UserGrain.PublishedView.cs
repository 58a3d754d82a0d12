using System.Collections.Concurrent;
using System.Reflection;

namespace MeiLing.Grains.Users;

/// <summary>
/// The user grain's view for a co-hosted API (<see cref="IActivatedUserViews"/>): published when the grain activates
/// and after every call that may have changed it, before that call's answer leaves, and withdrawn when it deactivates.
/// </summary>
internal sealed partial class UserGrain
{
    // Read-only calls change nothing, and are most of the calls; whether a method is one never changes.
    private static readonly ConcurrentDictionary<MethodInfo, bool> ReadOnlyMethods = new();

    private ActivatedUserView? _publishedView;

    // Read-only calls pass straight through, without a state machine of their own: they are most of the grain's calls.
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) =>
        IsReadOnly(context.InterfaceMethod) ? context.Invoke() : InvokeAndPublishAsync(context);

    private async Task InvokeAndPublishAsync(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        finally
        {
            // Even a call that failed may have changed the state in memory, which the grain itself would answer from.
            PublishView();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        WithdrawView();
        return Task.CompletedTask;
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
        views.Publish(UserId, _publishedView);
    }

    private void WithdrawView()
    {
        if (_publishedView is not null)
        {
            views.Withdraw(UserId, _publishedView);
            _publishedView = null;
        }
    }

    private static bool IsReadOnly(MethodInfo? method) =>
        method is not null && ReadOnlyMethods.GetOrAdd(method, static m => m.IsDefined(typeof(Orleans.Concurrency.ReadOnlyAttribute), inherit: false));
}
