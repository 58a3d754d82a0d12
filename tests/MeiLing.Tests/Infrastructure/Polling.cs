namespace MeiLing.Tests.Infrastructure;

/// <summary>Waits for a state another party brings about (a lock waited on, a call queued), not for a fixed time.</summary>
internal static class Polling
{
    /// <summary>Asks <paramref name="condition"/> every 20 ms until it holds; fails the test after 30 seconds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Reads <paramref name="read"/> every 20 ms until <paramref name="holds"/> of what it read, and returns that; fails the test after 30 seconds.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> holds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var value = await read();
        while (!holds(value))
        {
            await Task.Delay(20, timeout.Token);
            value = await read();
        }

        return value;
    }

    /// <summary>
    /// Calls <paramref name="call"/> again while it answers "unavailable, retry shortly" (a database timeout on a loaded
    /// machine), as its contract asks of every caller and a grain's own reminder does; at most five times.
    /// </summary>
    public static async Task<T> RetryingWhileUnavailableAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (MeiLing.Grains.DomainException unavailable) when (unavailable.Kind == MeiLing.Grains.DomainErrorKind.Unavailable && attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }
}
