namespace MeiLing.Grains.Platform;

/// <summary>Times as PostgreSQL keeps them.</summary>
public static class PostgresTime
{
    /// <summary>
    /// The instant cut to the microseconds a <c>timestamptz</c> keeps, so that what a grain hands back (or
    /// hashes) is exactly what is read back later.
    /// </summary>
    public static DateTimeOffset AsStored(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
