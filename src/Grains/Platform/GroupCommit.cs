using Npgsql;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Writes side-table rows of many grains in one transaction: each caller hands over its statements (one unit,
/// all or nothing) and is answered once the transaction holding them has committed, so it still hears only
/// of its own durable write. While a commit is under way, the units that arrive queue and leave together in
/// the next one: one round trip and one commit for as many writes as came in meanwhile, where each would have
/// paid its own. An idle platform pays nothing extra: a lone write leaves at once. One commit is in flight at a
/// time unless it is slow (<see cref="GroupCommitOptions.SlowCommit"/>): then a second group leaves beside it, so
/// a commit waiting on a lock or a stalled disk does not hold up every write of the silo.
/// </summary>
/// <remarks>
/// A batch without error barriers is one implicit transaction, so a failing unit rolls the whole group back;
/// the group is then written again a unit at a time, and only the unit at fault hears of its error.
/// </remarks>
public sealed class GroupCommit(NpgsqlDataSource dataSource, GroupCommitOptions? options = null, TimeProvider? clock = null)
{
    // The state write runs in the caller's async flow (IPersistentState down to the storage), so the rows travel with it
    // without a parameter Orleans' storage interface does not have.
    private static readonly AsyncLocal<CompanionRows?> PendingCompanions = new();

    private readonly GroupCommitOptions _options = options ?? new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Queue<PendingUnit> _queue = new();

    // When each group now committing was taken: a committer's own is removed once it has committed. Whether another
    // commit may leave is judged by the youngest of them, not by the group taken last, which may have committed long
    // since while an older one is still stuck.
    private readonly List<long> _groupsInFlight = [];

    private int _committing;
    private long _commits;
    private long _units;

    /// <summary>Transactions committed so far; with <see cref="Units"/>, how well writes were grouped.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Units written so far.</summary>
    public long Units => Interlocked.Read(ref _units);

    /// <summary>Writes <paramref name="statements"/> together; when this returns, they are durable.</summary>
    public Task WriteAsync(IReadOnlyList<NpgsqlBatchCommand> statements)
    {
        if (statements.Count == 0)
        {
            return Task.CompletedTask;
        }

        var unit = new PendingUnit(statements);
        bool startCommit;
        lock (_lock)
        {
            _queue.Enqueue(unit);
            startCommit = _committing == 0 || (_committing < _options.ConcurrentCommits && EveryGroupInFlightIsSlow());
            if (startCommit)
            {
                _committing++;
            }
        }

        if (startCommit)
        {
            // The committer serves every caller: it carries none's context (request context, companion rows) with it.
            // It starts on the caller's thread and sends its group there, where a Task.Run cost one more thread-pool
            // hop per commit (an order at 16 connections: 0.33-0.39 ms of silo CPU against 0.41-0.43, docs/performance.md);
            // from its first await on it runs on the thread pool (ConfigureAwait(false)), never on a caller's grain.
            using (ExecutionContext.SuppressFlow())
            {
                _ = CommitWhileQueuedAsync();
            }
        }

        return unit.Written.Task;
    }

    /// <summary>
    /// Runs <paramref name="writeState"/>, a grain's state write, so that <paramref name="rows"/> join the unit of that
    /// write: the state and the rows that belong with it (an order and its listing) are durable together or not at all,
    /// in one commit. A state storage that writes through this group commit takes the rows (<see cref="TakeCompanionRows"/>);
    /// if none did, the rows are written after the state, in a unit of their own.
    /// </summary>
    public async Task WriteWithStateAsync(IReadOnlyList<NpgsqlBatchCommand> rows, Func<Task> writeState)
    {
        var companions = new CompanionRows(rows);
        PendingCompanions.Value = companions;
        try
        {
            await writeState();
        }
        finally
        {
            PendingCompanions.Value = null;
        }

        if (!companions.Taken)
        {
            await WriteAsync(rows);
        }
    }

    /// <summary>The rows to write in the same unit as the state being written now (none outside <see cref="WriteWithStateAsync"/>).</summary>
    public static IReadOnlyList<NpgsqlBatchCommand> TakeCompanionRows()
    {
        if (PendingCompanions.Value is not { Taken: false } companions)
        {
            return [];
        }

        companions.Taken = true;
        return companions.Rows;
    }

    private sealed class CompanionRows(IReadOnlyList<NpgsqlBatchCommand> rows)
    {
        public IReadOnlyList<NpgsqlBatchCommand> Rows => rows;

        public bool Taken { get; set; }
    }

    private async Task CommitWhileQueuedAsync()
    {
        long? committed = null;
        while (TakeGroup(committed) is ({ Count: > 0 } group, var takenAt))
        {
            await CommitAsync(group).ConfigureAwait(false);
            committed = takenAt;
        }
    }

    // Null when this committer stops: the queue is empty, or another committer is at work and its group is not slow, and
    // the queued units wait for it to take them together. A committer whose only company is a stuck commit goes on: the
    // units queued behind it would otherwise wait out the stall. Decided under the lock, so a queued unit always has a
    // committer coming. <paramref name="committed"/>: when this committer's last group, now committed, was taken.
    private (List<PendingUnit>? Group, long TakenAt) TakeGroup(long? committed)
    {
        lock (_lock)
        {
            if (committed is { } takenBefore)
            {
                _groupsInFlight.Remove(takenBefore);
            }

            if (_queue.Count == 0 || (committed is not null && _committing > 1 && !EveryGroupInFlightIsSlow()))
            {
                _committing--;
                return (null, 0);
            }

            var group = new List<PendingUnit>();
            var statements = 0;
            while (_queue.TryPeek(out var next) && (group.Count == 0 || statements + next.Statements.Count <= _options.MaxStatements))
            {
                group.Add(_queue.Dequeue());
                statements += next.Statements.Count;
            }

            var takenAt = _clock.GetTimestamp();
            _groupsInFlight.Add(takenAt);
            return (group, takenAt);
        }
    }

    // Under the lock: every group committing now has taken longer than a commit should. False when none is committing
    // yet: a committer that has just started is about to take the queue.
    private bool EveryGroupInFlightIsSlow() =>
        _groupsInFlight.Count > 0 && _clock.GetElapsedTime(_groupsInFlight.Max()) >= _options.SlowCommit;

    private async Task CommitAsync(List<PendingUnit> group)
    {
        try
        {
            await ExecuteAsync(group).ConfigureAwait(false);
            Interlocked.Add(ref _units, group.Count);
            group.ForEach(unit => unit.Written.TrySetResult());
        }
        catch (PostgresException) when (group.Count > 1)
        {
            // The server refused a statement and rolled the group back: find whose it was.
            foreach (var unit in group)
            {
                await CommitAloneAsync(unit).ConfigureAwait(false);
            }
        }
        catch (Exception failed)
        {
            group.ForEach(unit => unit.Written.TrySetException(failed));
        }
    }

    private async Task CommitAloneAsync(PendingUnit unit)
    {
        try
        {
            await ExecuteAsync([unit]).ConfigureAwait(false);
            Interlocked.Increment(ref _units);
            unit.Written.TrySetResult();
        }
        catch (Exception failed)
        {
            unit.Written.TrySetException(failed);
        }
    }

    private async Task ExecuteAsync(List<PendingUnit> units)
    {
        var batch = dataSource.CreateBatch();
        await using var disposing = batch.ConfigureAwait(false);
        foreach (var statement in units.SelectMany(unit => unit.Statements))
        {
            batch.BatchCommands.Add(statement);
        }

        try
        {
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            Interlocked.Increment(ref _commits);
        }
        finally
        {
            // The statements may be written again in another batch (a group that failed goes unit by unit).
            batch.BatchCommands.Clear();
        }
    }

    private sealed class PendingUnit(IReadOnlyList<NpgsqlBatchCommand> statements)
    {
        public IReadOnlyList<NpgsqlBatchCommand> Statements => statements;

        // Callers continue off the committer's thread, so one caller's continuation never holds up the next group.
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>How <see cref="GroupCommit"/> groups writes.</summary>
public sealed record GroupCommitOptions
{
    /// <summary>Groups in flight at once at most: one keeps every waiting write in the next group; more hide a slow commit.</summary>
    public int ConcurrentCommits { get; init; } = 2;

    /// <summary>
    /// How long the group taken last commits before another may leave beside it. Each commit costs PostgreSQL CPU of
    /// its own: two groups in flight from the start made groups of four orders at 16 connections where one makes groups
    /// of seven, and cost about 0.2 ms more CPU per order (docs/performance.md, twenty-first round). A commit on this
    /// platform takes a few milliseconds; one that takes longer waits on a lock or a disk, and the writes behind it go ahead.
    /// </summary>
    public TimeSpan SlowCommit { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Statements in one group at most (a unit is never split).</summary>
    public int MaxStatements { get; init; } = 256;
}
