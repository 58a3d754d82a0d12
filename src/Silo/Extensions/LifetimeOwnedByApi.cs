namespace MeiLing.Silo.Extensions;

/// <summary>
/// The silo host's lifetime when the API is co-hosted: the API host takes SIGTERM and Ctrl-C, drains
/// its requests, and only then is the silo stopped (<see cref="CohostedApi"/>), so no request in flight
/// loses its grains.
/// </summary>
internal sealed class LifetimeOwnedByApi : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
