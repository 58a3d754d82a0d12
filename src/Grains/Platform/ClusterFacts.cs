using Microsoft.Extensions.Logging;
using Orleans.Runtime.Services;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Has a changed fact forgotten on every active silo (<see cref="SiloFacts"/>), this one first and at once, the others
/// through their <see cref="ISiloFactCache"/>, all awaited. A silo that does not answer in <see cref="Timeout"/> is
/// logged and left to <see cref="SiloFacts.Lifetime"/>: it is probably on its way to being declared dead, and the
/// change (already stored) must not fail because of it.
/// </summary>
public sealed partial class ClusterFacts(
    IServiceProvider services,
    SiloFacts local,
    IClusterMembershipService membership,
    ILocalSiloDetails self,
    ILogger<ClusterFacts> logger) : GrainServiceClient<ISiloFactCache>(services)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task ForgetEverywhereAsync(CachedFact fact)
    {
        local.Forget(fact);
        var others = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(self.SiloAddress))
            .Select(member => ForgetOnAsync(member.SiloAddress, fact));
        await Task.WhenAll(others);
    }

    private async Task ForgetOnAsync(SiloAddress silo, CachedFact fact)
    {
        try
        {
            await GetGrainService(silo).Forget(fact).WaitAsync(Timeout);
        }
        catch (Exception failure)
        {
            // Whatever the silo answered (a timeout, a silo on its way out, or, during a rolling upgrade, a silo of the
            // previous release that knows no such kind of fact and keeps no copy of it): the change is stored, and it
            // must not fail because of one silo.
            LogForgetNotDelivered(logger, fact.Kind, silo, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A changed {Kind} was not forgotten on silo {Silo}; it serves its copy until the copy expires")]
    private static partial void LogForgetNotDelivered(ILogger logger, CachedFactKind kind, SiloAddress silo, Exception failure);
}
