using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

// Every console request asks its session: the activation stays while the agent works (the idle age), so the row is read
// once per sitting, not per page. Its ids come only from cookies the API protected, so nobody wakes one per made-up id.
// A signed-out session keeps its small row: the cookie it ended is refused for the rest of its 8 hours, and the row
// says when that agent signed out.
internal sealed class ConsoleSessionGrain(
    [PersistentState("console-session", StorageNames.Default)] IPersistentState<ConsoleSessionState> state,
    TimeProvider clock) : Grain, IConsoleSessionGrain
{
    async Task IConsoleSessionGrain.End()
    {
        if (state.State.EndedAt is null)
        {
            state.State.End(clock.GetUtcNow());
            await state.WriteStateAsync();
        }
    }

    Task<bool> IConsoleSessionGrain.IsEnded() => Task.FromResult(state.State.EndedAt is not null);
}
