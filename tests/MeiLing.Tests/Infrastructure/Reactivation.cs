using Orleans.Core.Internal;

namespace MeiLing.Tests.Infrastructure;

public static class Reactivation
{
    /// <summary>
    /// Ends the grain's activation so that its next call reads the state from storage. Orleans marks the activation
    /// deactivating before it answers <c>DeactivateOnIdle</c>; every later call waits until that deactivation is done
    /// and then reaches a fresh activation. The next call is therefore the event itself: no pause is needed, and the
    /// stored state may be changed before or after this.
    /// </summary>
    public static async Task EndActivationAsync(this IAddressable grain) =>
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
}
