namespace MeiLing.Bench.Scenarios;

/// <summary>
/// One thing to measure. The runner calls <see cref="SetupAsync"/> once per run (outside any
/// measurement), then, for each concurrency level, creates one worker per slot and drives them in a
/// closed loop. To add a scenario: implement this (usually by deriving from <see cref="HttpScenario"/>)
/// and list it in <see cref="ScenarioCatalog"/>.
/// </summary>
public interface IScenario
{
    /// <summary>The name used with <c>--scenario</c>.</summary>
    string Name { get; }

    /// <summary>One line: what a request does.</summary>
    string Description { get; }

    /// <summary>The ceiling this scenario measures, if it is one.</summary>
    Ceiling Provides { get; }

    /// <summary>The ceilings the summary compares this scenario's figures with.</summary>
    Ceiling ComparedWith { get; }

    /// <summary>Facts learned in setup that help read the figures (e.g. the database's commit settings).</summary>
    IReadOnlyList<string> Notes { get; }

    Task SetupAsync(BenchContext context, CancellationToken cancellationToken);

    ValueTask<IScenarioWorker> CreateWorkerAsync(WorkerContext worker, CancellationToken cancellationToken);
}

/// <summary>One closed-loop worker of a scenario: it issues one request at a time.</summary>
public interface IScenarioWorker : IAsyncDisposable
{
    /// <summary>Performs one request and returns its HTTP status (200 for a successful non-HTTP operation).</summary>
    ValueTask<int> ExecuteAsync(CancellationToken cancellationToken);
}

/// <summary>The reference figures other scenarios are read against.</summary>
[Flags]
public enum Ceiling
{
    None = 0,

    /// <summary>The API host answering a constant: what HTTP alone costs on this machine.</summary>
    Http = 1,

    /// <summary>Durable single-row commits straight to PostgreSQL: what a write costs at the bottom.</summary>
    Write = 2,
}
