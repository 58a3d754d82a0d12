using Npgsql;

namespace MeiLing.Tests.Commerce;

/// <summary>
/// A write the database holds until the test releases it, then refuses (a disk that hangs and then fails) or writes (a disk
/// that is slow). While it is held, the test does what may run beside the waiting write (an interleaved read of the grain
/// that wrote it, say, or a change elsewhere that the grain must see once its write returns).
/// </summary>
internal sealed class HeldWrite(TestDatabase database, NpgsqlConnection holder, int lockKey)
{
    // The advisory locks' first key, so these locks are told apart from any other a test takes.
    private const int LockClass = 7_007;

    private bool _released;

    /// <summary>Holds, then refuses, every insert or update of <paramref name="table"/> whose new row matches <paramref name="newRowMatches"/>.</summary>
    public static Task<T> WhileHoldingThenRefusingAsync<T>(TestDatabase database, string table, string newRowMatches, Func<HeldWrite, Task<T>> act) =>
        WhileHoldingAsync(database, table, newRowMatches, "RAISE EXCEPTION 'storage refuses';", act);

    /// <summary>Holds, then writes, every insert or update of <paramref name="table"/> whose new row matches <paramref name="newRowMatches"/>.</summary>
    public static Task<T> WhileHoldingThenWritingAsync<T>(TestDatabase database, string table, string newRowMatches, Func<HeldWrite, Task<T>> act) =>
        WhileHoldingAsync(database, table, newRowMatches, "RETURN NEW;", act);

    private static async Task<T> WhileHoldingAsync<T>(TestDatabase database, string table, string newRowMatches, string thenWhat, Func<HeldWrite, Task<T>> act)
    {
        var trigger = $"hold_{Guid.NewGuid():N}";
        var lockKey = Random.Shared.Next();
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await ExecuteAsync(holder, $"SELECT pg_advisory_lock({LockClass}, {lockKey})");
        await database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_lock_shared({LockClass}, {lockKey});
                PERFORM pg_advisory_unlock_shared({LockClass}, {lockKey});
                {thenWhat}
            END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW WHEN ({newRowMatches}) EXECUTE FUNCTION {trigger}();
            """);
        var held = new HeldWrite(database, holder, lockKey);
        try
        {
            return await act(held);
        }
        finally
        {
            await held.ReleaseAsync();
            await database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON {table}; DROP FUNCTION {trigger}();");
        }
    }

    /// <summary>Waits until a write is held.</summary>
    public Task UntilHeldAsync() => Polling.UntilAsync(async () => await database.ScalarAsync<long>(
        $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {LockClass} AND objid = {lockKey} AND objsubid = 2 AND NOT granted") > 0);

    /// <summary>
    /// Waits until a write has been held for at least <paramref name="span"/>, counted from the start of the statement that
    /// waits (which began before it was held): a condition the database answers, not a sleep.
    /// </summary>
    public Task UntilHeldForAsync(TimeSpan span) => Polling.UntilAsync(async () => await database.ScalarAsync<long>(
        $"""
        SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.classid = {LockClass} AND l.objid = {lockKey} AND l.objsubid = 2 AND NOT l.granted
           AND clock_timestamp() - a.query_start > make_interval(secs => $1)
        """, span.TotalSeconds) > 0);

    /// <summary>Lets the held writes go on, to their refusal or their write.</summary>
    public async Task ReleaseAsync()
    {
        if (!_released)
        {
            _released = true;
            await ExecuteAsync(holder, $"SELECT pg_advisory_unlock({LockClass}, {lockKey})");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
