namespace MeiLing.Grains.Identity;

/// <summary>How the platform proves who someone is (bound by the silo host).</summary>
public sealed class IdentitySettings
{
    /// <summary>
    /// Whether registering needs a code sent to the number (<c>MEILING_PHONE_VERIFICATION</c>, on by default).
    /// Off is weaker: anyone can then register a stranger's number, for deployments that verify it elsewhere.
    /// </summary>
    public bool PhoneVerification { get; set; } = true;

    /// <summary>How long a child's account waits for the guardian's confirmation before its data is deleted (P5.1).</summary>
    public TimeSpan GuardianConfirmWithin { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a child's account awaiting its guardian checks whether that time has run out.</summary>
    public TimeSpan GuardianCheckPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a text may take the SMS provider before it is given up (<see cref="SmsSends"/>): the user's grain and the
    /// number's codes grain wait for it inside their turn, so a provider that never answers would hold every call to them.
    /// </summary>
    public TimeSpan SmsSendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
