namespace MeiLing.Grains.Payments;

/// <summary>How the order grains call payment partners.</summary>
public sealed class PaymentPartnerSettings
{
    /// <summary>
    /// How long a charge or refund call may take before it is given up as unanswered (503): the order grain waits for it
    /// inside its turn, so a partner that never answers would hold every call to the order, the till's and the partner's
    /// own confirmation included.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
