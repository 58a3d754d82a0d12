using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace MeiLing.Silo.Health;

/// <summary>Ready only while this silo is an Active member of the cluster.</summary>
internal sealed class SiloActiveHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Silo is {oracle.CurrentStatus}."));
}
