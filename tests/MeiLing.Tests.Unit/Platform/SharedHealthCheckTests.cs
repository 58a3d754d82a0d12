using MeiLing.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeiLing.Tests.Unit.Platform;

/// <summary>P4.4: the readiness probes are anonymous and unlimited; their checks run about once a second, not once a probe.</summary>
public sealed class SharedHealthCheckTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task P4_4_a_burst_of_ready_probes_runs_the_check_once_and_every_probe_reads_its_result()
    {
        var check = new CountingCheck();
        var shared = new SharedHealthCheck<CountingCheck>(check, _clock);

        var probes = Enumerable.Range(0, 100).Select(_ => shared.CheckHealthAsync(new HealthCheckContext())).ToList();
        check.Answer(HealthCheckResult.Healthy("one silo"));
        var results = await Task.WhenAll(probes);

        Assert.Equal(1, check.Runs);
        Assert.All(results, result => Assert.Equal("one silo", result.Description));
    }

    [Fact]
    public async Task P4_4_the_check_runs_again_once_its_result_is_a_second_old_so_an_outage_shows_at_once()
    {
        var check = new CountingCheck();
        var shared = new SharedHealthCheck<CountingCheck>(check, _clock);
        check.Answer(HealthCheckResult.Healthy());
        await shared.CheckHealthAsync(new HealthCheckContext());

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        await shared.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(1, check.Runs);

        check.Answer(HealthCheckResult.Unhealthy("PostgreSQL does not answer."));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = await shared.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(2, check.Runs);
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
    }

    [Fact]
    public async Task A_probe_that_gives_up_does_not_cancel_the_run_the_others_wait_for()
    {
        var check = new CountingCheck();
        var shared = new SharedHealthCheck<CountingCheck>(check, _clock);
        using var impatient = new CancellationTokenSource();

        var givingUp = shared.CheckHealthAsync(new HealthCheckContext(), impatient.Token);
        var waiting = shared.CheckHealthAsync(new HealthCheckContext());
        await impatient.CancelAsync();
        check.Answer(HealthCheckResult.Healthy());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givingUp);
        Assert.Equal(HealthStatus.Healthy, (await waiting).Status);
        Assert.Equal(1, check.Runs);
    }

    private sealed class CountingCheck : IHealthCheck
    {
        private TaskCompletionSource<HealthCheckResult> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs { get; private set; }

        public void Answer(HealthCheckResult result)
        {
            if (!_answer.TrySetResult(result))
            {
                _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _answer.SetResult(result);
            }
        }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Runs++;
            return _answer.Task;
        }
    }
}
