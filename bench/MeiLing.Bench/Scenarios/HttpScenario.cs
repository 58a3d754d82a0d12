namespace MeiLing.Bench.Scenarios;

/// <summary>
/// A scenario that is one HTTP request per iteration: subclasses say which request comes next; the
/// worker sends it, reads the whole answer, and reports the status.
/// </summary>
public abstract class HttpScenario : IScenario
{
    private readonly List<string> _notes = [];

    public abstract string Name { get; }

    public abstract string Description { get; }

    public virtual Ceiling Provides => Ceiling.None;

    public virtual Ceiling ComparedWith => Ceiling.Http;

    public IReadOnlyList<string> Notes => _notes;

    public virtual Task SetupAsync(BenchContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<IScenarioWorker> CreateWorkerAsync(WorkerContext worker, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IScenarioWorker>(new Worker(this, worker));

    /// <summary>The request this worker sends next; called on the worker's own loop.</summary>
    protected abstract HttpRequestMessage NextRequest(WorkerContext worker);

    protected void Note(string note) => _notes.Add(note);

    private sealed class Worker(HttpScenario scenario, WorkerContext context) : IScenarioWorker
    {
        public async ValueTask<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            using var request = scenario.NextRequest(context);
            // ResponseContentRead: the latency includes the whole body, as a caller would see it.
            using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return (int)response.StatusCode;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>An HTTP scenario that acts as the pool's users, each worker on its own slice of them.</summary>
public abstract class PoolUserScenario : HttpScenario
{
    private UserPool? _pool;

    public override async Task SetupAsync(BenchContext context, CancellationToken cancellationToken)
    {
        _pool = await context.UsersAsync(cancellationToken);
        Note($"{_pool.Count} pool users, each worker on its own slice");
    }

    protected sealed override HttpRequestMessage NextRequest(WorkerContext worker) =>
        NextRequest(worker, (_pool ?? throw new InvalidOperationException("SetupAsync has not run")).For(worker));

    protected abstract HttpRequestMessage NextRequest(WorkerContext worker, PoolUser user);

    /// <summary>Every pool user, for setup steps (e.g. granting a consent first).</summary>
    protected IReadOnlyList<PoolUser> PoolUsers => _pool?.Users ?? [];
}
