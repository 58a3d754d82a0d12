using MeiLing.Grains.Platform;
using MeiLing.Tests.Infrastructure;
using Npgsql;

namespace MeiLing.Tests.Storage;

/// <summary>
/// Group commit: many callers' rows in one transaction, each caller answered only when its own rows are durable,
/// and a refused unit failing alone, never taking the others' writes with it.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(migrate: false);
        await using var create = _database.DataSource.CreateCommand(
            "CREATE TABLE ledger (id integer PRIMARY KEY, caller integer NOT NULL, amount integer NOT NULL CHECK (amount >= 0))");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Every_caller_of_a_burst_is_answered_after_its_own_rows_are_written()
    {
        var groupCommit = new GroupCommit(_database.DataSource, new GroupCommitOptions { ConcurrentCommits = 1, MaxStatements = 16 });

        // Two rows per caller, one unit each: all of a unit or nothing.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async caller =>
        {
            await groupCommit.WriteAsync([Row(caller * 2, caller, 1), Row(caller * 2 + 1, caller, 1)]);
            Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM ledger WHERE caller = $1", caller));
        }));

        Assert.Equal(400L, await _database.ScalarAsync<long>("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task A_refused_unit_fails_alone_and_the_rest_of_its_group_is_written()
    {
        var groupCommit = new GroupCommit(_database.DataSource, new GroupCommitOptions { ConcurrentCommits = 1 });
        const int Refused = 7;

        var writes = Enumerable.Range(1000, 20)
            .Select(caller => (caller, write: groupCommit.WriteAsync(
                [Row(caller * 2, caller, 1), Row(caller * 2 + 1, caller, caller == 1000 + Refused ? -1 : 1)])))
            .ToList();

        foreach (var (caller, write) in writes)
        {
            if (caller == 1000 + Refused)
            {
                var refusal = await Assert.ThrowsAsync<PostgresException>(() => write);
                Assert.Equal(PostgresErrorCodes.CheckViolation, refusal.SqlState);
                Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM ledger WHERE caller = $1", caller));
            }
            else
            {
                await write;
                Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM ledger WHERE caller = $1", caller));
            }
        }
    }

    [Fact]
    public async Task Writes_share_commits_when_they_arrive_together()
    {
        var groupCommit = new GroupCommit(_database.DataSource, new GroupCommitOptions { ConcurrentCommits = 1 });

        await Task.WhenAll(Enumerable.Range(5000, 100).Select(caller => groupCommit.WriteAsync([Row(caller, caller, 1)])));

        // 100 callers, far fewer transactions: the first leaves alone, the others queue behind it and leave together.
        Assert.Equal(100, groupCommit.Units);
        Assert.True(groupCommit.Commits < 50, $"100 writes took {groupCommit.Commits} commits");
        Assert.Equal(100L, await _database.ScalarAsync<long>("SELECT count(*) FROM ledger WHERE caller >= 5000"));
    }

    [Fact]
    public async Task Writes_wait_for_the_commit_in_flight_until_it_is_slow_then_leave_beside_it()
    {
        var clock = new SteppedTimestamps();
        var groupCommit = TwoLanes(clock);

        // Another transaction holds the key the first write inserts: that commit waits on its lock.
        await using var blocker = await HoldKeyAsync(9000);
        var stuck = groupCommit.WriteAsync([Row(9000, 9000, 1)]);
        await WaitersOnLocksAsync(1);

        // Not slow yet: this write queues for the next group, behind the commit in flight.
        var queued = groupCommit.WriteAsync([Row(9001, 9001, 1)]);
        clock.Advance(Slow);
        // Now it is: the next write starts a second commit, which takes the queued write along.
        var next = groupCommit.WriteAsync([Row(9002, 9002, 1)]);

        await Task.WhenAll(queued, next).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(stuck.IsCompleted);
        Assert.Equal(1, groupCommit.Commits);
        Assert.Equal(2, groupCommit.Units);

        await blocker.Transaction.RollbackAsync();
        await stuck.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(*) FROM ledger WHERE caller >= 9000"));
    }

    [Fact]
    public async Task A_write_queued_behind_the_second_commit_does_not_wait_out_the_stuck_first()
    {
        var clock = new SteppedTimestamps();
        var groupCommit = TwoLanes(clock);
        await using var firstBlocker = await HoldKeyAsync(9100);
        await using var secondBlocker = await HoldKeyAsync(9101);

        var stuck = groupCommit.WriteAsync([Row(9100, 9100, 1)]);
        await WaitersOnLocksAsync(1);
        clock.Advance(Slow);
        // The first commit is slow: this one leaves beside it, and waits on a lock of its own for now.
        var second = groupCommit.WriteAsync([Row(9101, 9101, 1)]);
        await WaitersOnLocksAsync(2);
        // Two commits in flight: this write queues for whichever committer is free first.
        var queued = groupCommit.WriteAsync([Row(9102, 9102, 1)]);

        await secondBlocker.Transaction.RollbackAsync();
        // The second committer is free and the first is still stuck: it takes the queued write rather than leave it
        // waiting for the first, however long that takes.
        await Task.WhenAll(second, queued).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(stuck.IsCompleted);

        await firstBlocker.Transaction.RollbackAsync();
        await stuck.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(*) FROM ledger WHERE caller >= 9100"));
    }

    // Two commits at most, the second only beside a first that has been committing for Slow by the test's clock.
    private GroupCommit TwoLanes(TimeProvider clock) =>
        new(_database.DataSource, new GroupCommitOptions { ConcurrentCommits = 2, SlowCommit = Slow }, clock);

    // Another transaction inserts the key, so a commit that inserts it too waits on its lock until that one ends.
    private async Task<HeldKey> HoldKeyAsync(int id)
    {
        var connection = await _database.DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var hold = new NpgsqlCommand("INSERT INTO ledger (id, caller, amount) VALUES ($1, 0, 1)", connection, transaction);
        hold.Parameters.Add(new() { Value = id });
        await hold.ExecuteNonQueryAsync();
        return new HeldKey(connection, transaction);
    }

    private Task WaitersOnLocksAsync(int count) => Polling.UntilAsync(async () => await _database.ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO ledger%'") == count);

    private sealed record HeldKey(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    // Time moves only when the test says: what is "slow" does not depend on how busy the machine is.
    private sealed class SteppedTimestamps : TimeProvider
    {
        private long _timestamp;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _timestamp, by.Ticks);
    }

    private static NpgsqlBatchCommand Row(int id, int caller, int amount)
    {
        var command = new NpgsqlBatchCommand("INSERT INTO ledger (id, caller, amount) VALUES ($1, $2, $3)");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = caller });
        command.Parameters.Add(new() { Value = amount });
        return command;
    }
}
