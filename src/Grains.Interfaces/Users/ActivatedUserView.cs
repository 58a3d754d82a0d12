using System.Collections.Frozen;
using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>
/// One published state of a user grain (<see cref="IActivatedUserViews"/>): immutable, replaced whole by the grain, so
/// a reader on another thread never sees half a change. Not a wire type: it never leaves the process.
/// </summary>
public sealed class ActivatedUserView(IReadOnlyList<ConsentStatus> consents, int sessionGeneration, FrozenSet<string> endedSessions)
{
    /// <summary>Where every purpose stands, as the grain's <see cref="IUserConsents.GetConsents"/> answers.</summary>
    public IReadOnlyList<ConsentStatus> Consents => consents;

    /// <summary>Whether a token of <paramref name="generation"/> and <paramref name="sessionId"/> is still good, as the grain decides (P4.4).</summary>
    public bool IsSessionCurrent(int generation, string? sessionId) =>
        sessionGeneration == generation && (sessionId is null || !endedSessions.Contains(sessionId));
}
