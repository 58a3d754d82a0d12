namespace MeiLing.Grains.Users;

/// <summary>
/// Sessions a user ended one at a time (signing out of one device), each kept only until its tokens expire anyway:
/// a token copied before the sign-out (a shared computer, a proxy log, a stolen cookie) is refused for the rest of its
/// lifetime, while the user's other sessions go on (P4.4). Bounded, so that signing in and out in a loop cannot grow
/// the user's state: when no place is left, the owner ends every session instead, which is always safe.
/// </summary>
public sealed class EndedSessions
{
    /// <summary>Ended sessions kept at once: far more than a person signs out of within a session's lifetime.</summary>
    public const int Capacity = 100;

    /// <summary>Each ended session's id, and until when it is kept (when its tokens expire, and a margin).</summary>
    public Dictionary<string, DateTimeOffset> Until { get; set; } = new(StringComparer.Ordinal);

    public bool Contains(string sessionId) => Until.ContainsKey(sessionId);

    /// <summary>
    /// Remembers <paramref name="sessionId"/> as ended until <paramref name="until"/>, after forgetting those whose
    /// time is up; false, and nothing remembered, when <see cref="Capacity"/> sessions are still kept.
    /// </summary>
    public bool TryEnd(string sessionId, DateTimeOffset until, DateTimeOffset now)
    {
        foreach (var expired in Until.Where(entry => entry.Value <= now).Select(entry => entry.Key).ToList())
        {
            Until.Remove(expired);
        }

        if (Until.TryGetValue(sessionId, out var kept))
        {
            Until[sessionId] = kept > until ? kept : until;
            return true;
        }

        if (Until.Count >= Capacity)
        {
            return false;
        }

        Until[sessionId] = until;
        return true;
    }

    /// <summary>Forgets every ended session: once the generation moves on, their tokens fail on it anyway.</summary>
    public void Clear() => Until.Clear();
}
