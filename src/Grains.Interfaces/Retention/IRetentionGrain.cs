namespace MeiLing.Grains.Retention;

/// <summary>
/// Erases what has outlived its retention period (location samples P1.2, activity P1.3), and the delivery addresses
/// orders kept to be delivered past a deletion of addresses once their window ended or their delivery grace after fulfilment did (P3.1, P4.1), driven by a
/// durable reminder, so the sweep survives silo restarts.
/// </summary>
[Alias("meiling.retention")]
public interface IRetentionGrain : IGrainWithStringKey
{
    public const string PlatformKey = "platform";

    /// <summary>Makes sure the sweep reminder is registered.</summary>
    [Alias("ensure-scheduled")]
    Task EnsureScheduled();

    /// <summary>Sweeps now; returns how many rows were erased.</summary>
    [Alias("sweep")]
    Task<int> Sweep();
}
