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
    /// <summary>How long a console cookie is good for from its sign-in, never extended (no sliding expiration).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>
    /// How long after its sign-out an ended session's row is kept: past <see cref="Lifetime"/>, every cookie of the session
    /// has expired, so the row refuses nothing; the hour more covers clocks of API hosts and silos that differ.
    /// </summary>
    public static readonly TimeSpan KeptAfterSignOut = Lifetime + TimeSpan.FromHours(1);

    /// <summary>Ends the session for good; idempotent. Its row is deleted <see cref="KeptAfterSignOut"/> later.</summary>
    [Alias("end")]
    Task End();

    /// <summary>Whether the session was signed out.</summary>
    [Alias("is-ended")]
    [ReadOnly]
    Task<bool> IsEnded();

    /// <summary>
    /// Deletes the row of a session signed out at least <see cref="KeptAfterSignOut"/> ago, and stops the reminder that
    /// asks; a session ended more recently is kept. What the reminder <see cref="End"/> sets calls; idempotent (P4.1).
    /// </summary>
    [Alias("forget-when-expired")]
    Task ForgetWhenExpired();
}
