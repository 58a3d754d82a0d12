using System.Collections.Frozen;
using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>
/// One published state of a user grain (<see cref="IActivatedUserViews"/>): immutable, replaced whole by the grain, so
/// a reader on another thread never sees half a change. Not a wire type: it never leaves the process.
/// </summary>
public sealed class ActivatedUserView(IReadOnlyList<ConsentStatus> consents, int sessionGeneration, FrozenSet<string> endedSessions)
{
    private Rendering? _rendering;

    /// <summary>Where every purpose stands, as the grain's <see cref="IUserConsents.GetConsents"/> answers.</summary>
    public IReadOnlyList<ConsentStatus> Consents => consents;

    /// <summary>Whether a token of <paramref name="generation"/> and <paramref name="sessionId"/> is still good, as the grain decides (P4.4).</summary>
    public bool IsSessionCurrent(int generation, string? sessionId) =>
        sessionGeneration == generation && (sessionId is null || !endedSessions.Contains(sessionId));

    /// <summary>
    /// What <paramref name="renderer"/> makes of the consents (the API's JSON answer), made on the first read of this view
    /// and reused by every later one: the view never changes, and the grain publishes a new one when the consents do.
    /// One renderer's result is kept; another renderer (never the case in one process) gets a fresh one each time.
    /// </summary>
    public TRendered RenderedBy<TRenderer, TRendered>(TRenderer renderer, Func<TRenderer, IReadOnlyList<ConsentStatus>, TRendered> render)
        where TRenderer : class
        where TRendered : class
    {
        if (Volatile.Read(ref _rendering) is { } kept && ReferenceEquals(kept.Renderer, renderer) && kept.Rendered is TRendered rendered)
        {
            return rendered;
        }

        var fresh = render(renderer, consents);
        // Two first readers may both render: the same input gives the same result, and either may be kept.
        Interlocked.CompareExchange(ref _rendering, new Rendering(renderer, fresh), null);
        return fresh;
    }

    private sealed record Rendering(object Renderer, object Rendered);
}
