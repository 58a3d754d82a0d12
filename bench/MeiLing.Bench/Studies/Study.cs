using MeiLing.Bench.Reporting;
using MeiLing.Bench.Scenarios;

namespace MeiLing.Bench.Studies;

/// <summary>
/// A measurement that is not a closed load loop (a comparison across data sizes, a timed workflow, a
/// memory sample). Listed with the scenarios so <c>--scenario</c> and <c>all</c> select it; the run
/// calls <see cref="RunAsync"/> once instead of driving workers, and the study prints its own table
/// and records its figures for the targets.
/// </summary>
public abstract class Study : IScenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public Ceiling Provides => Ceiling.None;

    public Ceiling ComparedWith => Ceiling.None;

    public IReadOnlyList<string> Notes => [];

    public Task SetupAsync(BenchContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<IScenarioWorker> CreateWorkerAsync(WorkerContext worker, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Name} is a study: the run calls RunAsync, not workers");

    /// <summary>Runs the study once; <c>measured</c> holds the load measurements taken so far in this run (a study may build on them).</summary>
    public abstract Task RunAsync(BenchContext context, IReadOnlyList<Measurement> measured, StudyFigures figures, CancellationToken cancellationToken);
}
