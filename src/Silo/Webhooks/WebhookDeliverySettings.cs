namespace MeiLing.Silo.Webhooks;

/// <summary>How silos deliver the outbox.</summary>
public sealed class WebhookDeliverySettings
{
    /// <summary>
    /// The wait before each retry, counted from the start of the attempt that failed: two retries within the
    /// first minute, then growing intervals over four days; once they are used up the delivery is failed
    /// (a merchant or operator can retry it by hand).
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(25), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(14),
        TimeSpan.FromHours(20), TimeSpan.FromHours(24), TimeSpan.FromHours(24),
    ];

    /// <summary>How often each silo looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = DefaultRetryDelays;

    /// <summary>Deliveries one silo leases at a time, and sends concurrently.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Deliveries to one recipient leased at a time (across silos, give or take a poll that runs at the same moment): a
    /// merchant whose endpoint hangs until each attempt's timeout, with any number of deliveries due, holds this many
    /// slots and leaves the rest to everyone else's.
    /// </summary>
    public int PerRecipient { get; set; } = 4;

    /// <summary>Whether loopback endpoints are allowed (a merchant's local receiver, the tests); off unless a host turns it on.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>How long a leased delivery stays with its silo: past it (the silo died mid-attempt) another takes it over.</summary>
    public TimeSpan Lease => AttemptTimeout + TimeSpan.FromSeconds(5);

    /// <summary>When the next attempt is due after <paramref name="attempts"/> attempts, the last started at <paramref name="lastStartedAt"/>; null when no retry is left.</summary>
    public DateTimeOffset? NextAttemptAfter(int attempts, DateTimeOffset lastStartedAt) =>
        attempts >= 1 && attempts <= RetryDelays.Count ? lastStartedAt + RetryDelays[attempts - 1] : null;
}
