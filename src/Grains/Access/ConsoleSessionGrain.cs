using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Access;

internal sealed class ConsoleSessionGrain(
    [PersistentState("console-session", StorageNames.Default)] IPersistentState<ConsoleSessionState> state,
    TimeProvider clock) : Grain, IConsoleSessionGrain
{
    private readonly AbsentRecordLinger _absent = new();

    // A live session has no row: each console request asks, and its activation leaves within seconds rather than
    // staying the idle age for every session an agent ever signed in with.
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _absent.Start(this, () => state.RecordExists);
        return Task.CompletedTask;
    }

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
