using System.Reflection;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

public static class WaitingCalls
{
    /// <summary>
    /// Whether a call to <paramref name="grain"/> waits behind the one its activation is running. Orleans keeps that count
    /// on the activation and reports it nowhere public, so this reads it where Orleans 10 keeps it; were it to move, this
    /// fails loudly.
    /// </summary>
    public static bool HasCallWaiting(this PlatformFixture platform, IAddressable grain)
    {
        var grainId = grain.GetGrainId();
        var runtime = AppDomain.CurrentDomain.GetAssemblies().Single(assembly => assembly.GetName().Name == "Orleans.Runtime");
        var directoryType = runtime.GetType("Orleans.Runtime.ActivationDirectory", throwOnError: true)!;
        foreach (var silo in platform.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
        {
            var directory = silo.SiloHost.Services.GetRequiredService(directoryType);
            if (directoryType.GetMethod("FindTarget")!.Invoke(directory, [grainId]) is { } activation)
            {
                var waiting = activation.GetType().GetProperty("WaitingCount", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                    ?? throw new InvalidOperationException("Orleans no longer keeps WaitingCount on an activation.");
                return (int)waiting.GetValue(activation)! > 0;
            }
        }

        return false;
    }
}
