namespace MeiLing.Grains.Access;

/// <summary>
/// One sign-in to the support console, keyed by the random session id its cookie carries. Signing out ends it here,
/// where every API host looks: the cookie alone is only deleted from the browser that signed out, and a copy taken
/// before (a shared workstation, a proxy's log) would otherwise act in the agent's name for the rest of its 8 hours
/// (P1.7: who acted is recorded; P4.4).
/// </summary>
[Alias("meiling.console-session")]
public interface IConsoleSessionGrain : IGrainWithStringKey
{
    /// <summary>Ends the session for good; idempotent.</summary>
    [Alias("end")]
    Task End();

    /// <summary>Whether the session was signed out.</summary>
    [Alias("is-ended")]
    [ReadOnly]
    Task<bool> IsEnded();
}
