using Orleans.Configuration;

namespace MeiLing.Silo.Extensions;

/// <summary>
/// Membership settings for silos that share one machine or a LAN: a dead silo is declared dead in a few
/// seconds instead of Orleans' default ~12, and a silo that stops on SIGTERM hands its clients over first.
/// See docs/operations.md for the numbers measured with scripts/check-failover.
/// </summary>
public static class MembershipTuning
{
    // Every silo re-reads the membership table this often even without gossip: a missed update heals by then.
    private static readonly TimeSpan TableRefresh = TimeSpan.FromSeconds(10);

    // The "I am alive" heartbeat in the table; clients and joining silos skip a silo that misses three.
    private static readonly TimeSpan IAmAlivePublish = TimeSpan.FromSeconds(10);

    // Rows of dead silos are deleted after a day: restarts and scale-in leave one row each, and a table
    // of hundreds of dead rows slows every membership read.
    private static readonly TimeSpan DefunctSiloExpiration = TimeSpan.FromDays(1);

    // A stopping gateway tells its clients and waits this long before closing, so they stop sending to it.
    private static readonly TimeSpan GatewayShutdownNotice = TimeSpan.FromSeconds(3);

    public static ISiloBuilder UseLanMembership(this ISiloBuilder silo, SiloSettings settings)
    {
        var probeTimeout = TimeSpan.FromSeconds(settings.ProbeTimeoutSeconds);
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            // Orleans adapts the probe timeout (phi accrual) from ProbeTimeout, never below ProbeTimeout / 2,
            // then clamps it to [MinProbeTimeout, MaxProbeTimeout]; the default minimum (2.5 s) would undo a
            // shorter ProbeTimeout, so it follows it.
            options.ProbeTimeout = probeTimeout;
            options.MinProbeTimeout = probeTimeout / 2;
            options.MaxProbeTimeout = probeTimeout * 10;
            options.NumMissedProbesLimit = settings.MissedProbesLimit;

            // Two votes declare a silo dead. A suspicion older than a few detection rounds is stale and must
            // not combine with a fresh one into a false death (the default keeps votes two minutes).
            options.NumVotesForDeathDeclaration = 2;
            options.DeathVoteExpirationTimeout = probeTimeout * settings.MissedProbesLimit * 4;

            options.TableRefreshTimeout = TableRefresh;
            options.IAmAliveTablePublishTimeout = IAmAlivePublish;
            options.DefunctSiloExpiration = DefunctSiloExpiration;
        });
        silo.Configure<SiloMessagingOptions>(options => options.ClientGatewayShutdownNotificationTimeout = GatewayShutdownNotice);
        return silo;
    }
}
