namespace MeiLing.Grains.Tickets;

/// <summary>How a ticket keeps its place in support's queue when an update of that place fails (P1.7, P8.1).</summary>
public sealed class SupportQueueSettings
{
    /// <summary>
    /// How often a ticket whose place in the queue could not be set tries again while it is in memory (1 second to
    /// 1 hour): support's 15-day deadline is counted from that place.
    /// </summary>
    public TimeSpan RetryEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether <see cref="RetryEvery"/> is one a ticket can go by (checked when the silo starts).</summary>
    public bool IsValid => RetryEvery >= TimeSpan.FromSeconds(1) && RetryEvery <= TimeSpan.FromHours(1);
}
