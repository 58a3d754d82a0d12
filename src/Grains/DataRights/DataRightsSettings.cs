namespace MeiLing.Grains.DataRights;

/// <summary>How data-rights requests are driven.</summary>
public sealed class DataRightsSettings
{
    /// <summary>
    /// How often a request's reminder wakes it while it is unfinished: the longest a crash can delay a
    /// request before another silo resumes it.
    /// </summary>
    public TimeSpan DrivePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after it is received a request starts being carried out.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long a request awaiting the user's confirmation waits before it is cancelled by itself.</summary>
    public TimeSpan ConfirmWithin { get; set; } = TimeSpan.FromDays(7);
}
