using Orleans.Runtime;

namespace MeiLing.Silo.Health;

/// <summary>
/// GET /health/memory: this silo's managed heap after a full collection, its working set, and the
/// cluster's activation count. The benchmark samples it before and after activating many idle grains
/// to read the memory one idle activation costs; the full collection makes the two samples comparable.
/// Operators only (<see cref="Security.OperatorSurfaces"/>): a forced full collection on demand is a lever nobody else may pull.
/// </summary>
internal static class MemoryEndpoint
{
    public const string Route = "/health/memory";

    public static IEndpointRouteBuilder MapMemoryEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, async (IGrainFactory grains) =>
        {
            // Twice, with finalizers in between: objects kept alive only by a finalizer go in the second pass.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            var activations = await grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return Results.Json(new MemorySample(heap, process.WorkingSet64, activations));
        }).ExcludeFromDescription();
        return endpoints;
    }

    private sealed record MemorySample(long GcHeapBytes, long WorkingSetBytes, int Activations);
}
