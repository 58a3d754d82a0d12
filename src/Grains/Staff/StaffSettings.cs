namespace MeiLing.Grains.Staff;

/// <summary>What a merchant's staff may do on their own key (P1.6).</summary>
public sealed class StaffSettings
{
    /// <summary>
    /// Fen one cashier may put on member cards in a day (in the merchant's time zone) unless the merchant set their own
    /// limit. A top-up is money the cashier says they took: one who took none puts goods within a friend's reach. The day's
    /// report names them afterwards; this bounds what they can give away before anyone reads it.
    /// </summary>
    public long CashierTopUpsPerDayFen { get; set; } = 1_000_000;
}
