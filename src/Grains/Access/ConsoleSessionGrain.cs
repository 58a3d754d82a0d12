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
        }

        // On every sign-out, the first or a retry: one whose reminder failed to register after the row was written would
        // otherwise keep the row for good. Due from the sign-out, then hourly, so a deletion that failed is tried again.
        var due = state.State.EndedAt!.Value + IConsoleSessionGrain.KeptAfterSignOut - clock.GetUtcNow();
        await this.RegisterOrUpdateReminder(ForgetReminder, due > TimeSpan.FromMinutes(1) ? due : TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
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
