using Orleans.Core.Internal;
using Orleans.Runtime;

namespace MeiLing.Tests.Infrastructure;

public static class GrainActivations
{
    /// <summary>
    /// Deactivates a grain and returns once its deactivation has finished (the directory no longer lists it), so the
    /// next call starts a fresh activation from storage: the event itself, not a pause that hopes it happened.
    /// </summary>
    public static async Task DeactivateAsync(this PlatformFixture platform, IAddressable grain)
    {
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = platform.Grains.GetGrain<IManagementGrain>(0);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await management.GetActivationAddress(grain) is not null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
        }
    }
}
