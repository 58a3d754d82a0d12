using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// A readiness check run at most once per <see cref="Reuse"/>, however many probes ask (P4.4): the probes are anonymous and
/// unlimited, so orchestrators never meet a limit, and each one ran its checks anew, a query on PostgreSQL and a read of
/// the cluster's membership per request. A result younger than that, or a run still under way, is everyone's answer.
/// </summary>
public sealed class SharedHealthCheck<TCheck>(TCheck check, TimeProvider clock) : IHealthCheck
    where TCheck : IHealthCheck
{
    /// <summary>How long one result answers every probe: well under any orchestrator's probe period.</summary>
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _latest;
    private long _startedAt;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task<HealthCheckResult> latest;
        lock (_gate)
        {
            if (_latest is null || (_latest.IsCompleted && clock.GetElapsedTime(_startedAt) >= Reuse))
            {
                _startedAt = clock.GetTimestamp();
                // Not the first caller's token: the run is shared, and its own timeout bounds it.
                _latest = check.CheckHealthAsync(context, CancellationToken.None);
            }

            latest = _latest;
        }

        return latest.WaitAsync(cancellationToken);
    }
}

public static class SharedHealthCheckExtensions
{
    /// <summary>Adds <typeparamref name="TCheck"/> as one instance whose result the probes share (<see cref="SharedHealthCheck{TCheck}"/>).</summary>
    public static IHealthChecksBuilder AddSharedCheck<TCheck>(this IHealthChecksBuilder builder, string name, IEnumerable<string> tags)
        where TCheck : class, IHealthCheck
    {
        builder.Services.AddSingleton(services => new SharedHealthCheck<TCheck>(
            ActivatorUtilities.CreateInstance<TCheck>(services), services.GetRequiredService<TimeProvider>()));
        return builder.Add(new HealthCheckRegistration(name, services => services.GetRequiredService<SharedHealthCheck<TCheck>>(), failureStatus: null, tags));
    }
}
