namespace MeiLing.Grains.Access;

/// <summary>Persisted state of a console session that was signed out: only that, and when. A live session has no row.</summary>
public sealed class ConsoleSessionState
{
    public DateTimeOffset? EndedAt { get; set; }

    public void End(DateTimeOffset at) => EndedAt ??= at;

    /// <summary>Whether the row must still be kept at <paramref name="now"/>: a session ended less than <paramref name="keptFor"/> ago.</summary>
    public bool IsKeptAt(DateTimeOffset now, TimeSpan keptFor) => EndedAt is { } ended && now < ended + keptFor;
}
