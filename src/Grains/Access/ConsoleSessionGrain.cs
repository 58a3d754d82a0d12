using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

// Every console request asks its session: the activation stays while the agent works (the idle age), so the row is read
// once per sitting, not per page. Its ids come only from cookies the API protected, so nobody wakes one per made-up id.
// A signed-out session keeps its small row while a cookie it ended could still be presented (8 hours at most), then a
// reminder deletes it: kept for good, every sign-out of every agent added a row nothing ever read again (P4.1).
internal sealed class ConsoleSessionGrain(
    [PersistentState("console-session", StorageNames.Default)] IPersistentState<ConsoleSessionState> state,
    TimeProvider clock) : Grain, IConsoleSessionGrain, IRemindable
{
    private const string ForgetReminder = "forget-ended-session";

    async Task IConsoleSessionGrain.End()
    {
        if (state.State.EndedAt is null)
        {
            state.State.End(clock.GetUtcNow());
            await state.WriteStateAsync();
            // Hourly after the first, so a deletion that failed is tried again.
            await this.RegisterOrUpdateReminder(ForgetReminder, IConsoleSessionGrain.KeptAfterSignOut, TimeSpan.FromHours(1));
        }
    }

    Task<bool> IConsoleSessionGrain.IsEnded() => Task.FromResult(state.State.EndedAt is not null);

    Task IConsoleSessionGrain.ForgetWhenExpired() => ForgetWhenExpiredAsync();

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => ForgetWhenExpiredAsync();

    private async Task ForgetWhenExpiredAsync()
    {
        if (state.State.IsKeptAt(clock.GetUtcNow(), IConsoleSessionGrain.KeptAfterSignOut))
        {
            return;
        }

        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        if (await this.GetReminder(ForgetReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        DeactivateOnIdle();
    }
}
