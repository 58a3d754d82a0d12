using Npgsql;

namespace MeiLing.Tests.Commerce;

/// <summary>
/// A write the database holds until the test releases it, then refuses: a disk that hangs and then fails. While it is held,
/// the test does what may run beside the waiting write (an interleaved read of the grain that wrote it, say).
/// </summary>
internal sealed class HeldWrite(TestDatabase database, NpgsqlConnection holder, int lockKey)
{
    // The advisory locks' first key, so these locks are told apart from any other a test takes.
    private const int LockClass = 7_007;

    private bool _released;

    /// <summary>Holds, then refuses, every insert or update of <paramref name="table"/> whose new row matches <paramref name="newRowMatches"/>.</summary>
    public static async Task<T> WhileHoldingThenRefusingAsync<T>(TestDatabase database, string table, string newRowMatches, Func<HeldWrite, Task<T>> act)
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
                RAISE EXCEPTION 'storage refuses';
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

    /// <summary>Lets the held writes go on, to their refusal.</summary>
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
