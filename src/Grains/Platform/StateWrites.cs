namespace MeiLing.Grains.Platform;

/// <summary>
/// A grain whose state write failed must not go on from what it changed in memory: the caller heard a failure, yet the
/// grain would answer, and build on, a change storage never held (a card's draw spendable twice, a notice "already held"
/// that was never written). The state is read back, or the activation dropped when storage cannot be read either.
/// </summary>
internal static class StateWrites
{
    public static async Task WriteOrForgetAsync<TState>(this IPersistentState<TState> state, IGrainBase owner, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch
        {
            try
            {
                await state.ReadStateAsync();
            }
            catch
            {
                owner.DeactivateOnIdle();
            }

            throw;
        }
    }

    public static Task WriteOrForgetAsync<TState>(this IPersistentState<TState> state, IGrainBase owner) =>
        state.WriteOrForgetAsync(owner, state.WriteStateAsync);
}
