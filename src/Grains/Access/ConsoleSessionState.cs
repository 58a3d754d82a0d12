namespace MeiLing.Grains.Access;

/// <summary>Persisted state of a console session that was signed out: only that, and when. A live session has no row.</summary>
public sealed class ConsoleSessionState
{
    public DateTimeOffset? EndedAt { get; set; }

    public void End(DateTimeOffset at) => EndedAt ??= at;
}
