namespace MeiLing.Grains.Users;

/// <summary>
/// What a user did today of what they may do so many times a day (P4.4), each a row kept long or a sealed record rewritten:
/// consent changes (receipts, kept for good), location samples (kept for the retention period), ticket messages (each
/// rewriting a sealed ticket) and the user's own profile corrections (each rewriting the user's sealed state).
/// </summary>
public sealed class UserDayCounts
{
    public FixedWindowCount ConsentChanges { get; set; } = new();

    public FixedWindowCount LocationSamples { get; set; } = new();

    public FixedWindowCount TicketMessages { get; set; } = new();

    public FixedWindowCount ProfileCorrections { get; set; } = new();
}
