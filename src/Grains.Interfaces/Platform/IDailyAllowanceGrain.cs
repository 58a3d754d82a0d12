namespace MeiLing.Grains.Platform;

/// <summary>
/// One party's day of one kind of act (<see cref="DailyAllowanceKind"/>), keyed by <see cref="KeyOf"/>. A grain of its own,
/// two numbers of state: counting rewrites no large record (a merchant's staff list), waits on no busy grain's turn (a
/// merchant walking its customers, which calls the orders that count here), and a counter new in a release lives only
/// on silos of that release while a cluster rolls.
/// <para>Version 1 adds <see cref="TakeBlock"/>: a call of it reaching an activation of an older release has that activation
/// replaced by one of this release (Orleans' backward-compatible versions), so it is never refused as unknown.</para>
/// </summary>
[Alias("meiling.daily-allowance"), Orleans.CodeGeneration.Version(1)]
public interface IDailyAllowanceGrain : IGrainWithStringKey
{
    /// <summary>The grain key of <paramref name="party"/>'s allowance of <paramref name="kind"/>.</summary>
    static string KeyOf(DailyAllowanceKind kind, string party) => $"{NameOf(kind)}/{party}";

    /// <summary>The kind a key names; null for a key <see cref="KeyOf"/> never makes.</summary>
    static DailyAllowanceKind? KindOf(string key) => key[..Math.Max(key.IndexOf('/', StringComparison.Ordinal), 0)] switch
    {
        "support-calls" => DailyAllowanceKind.SupportCalls,
        "member-codes-by-staff-key" => DailyAllowanceKind.MemberCodesByStaffKey,
        "member-codes-by-merchant" => DailyAllowanceKind.MemberCodesByMerchant,
        "stock-adjustments-by-merchant" => DailyAllowanceKind.StockAdjustmentsByMerchant,
        "catalogue-edits-by-merchant" => DailyAllowanceKind.CatalogueEditsByMerchant,
        "top-ups-by-merchant" => DailyAllowanceKind.TopUpsByMerchant,
        "walk-in-sales-by-merchant" => DailyAllowanceKind.WalkInSalesByMerchant,
        "user-orders-by-merchant" => DailyAllowanceKind.UserOrdersByMerchant,
        _ => null,
    };

    private static string NameOf(DailyAllowanceKind kind) => kind switch
    {
        DailyAllowanceKind.SupportCalls => "support-calls",
        DailyAllowanceKind.MemberCodesByStaffKey => "member-codes-by-staff-key",
        DailyAllowanceKind.MemberCodesByMerchant => "member-codes-by-merchant",
        DailyAllowanceKind.StockAdjustmentsByMerchant => "stock-adjustments-by-merchant",
        DailyAllowanceKind.CatalogueEditsByMerchant => "catalogue-edits-by-merchant",
        DailyAllowanceKind.TopUpsByMerchant => "top-ups-by-merchant",
        DailyAllowanceKind.WalkInSalesByMerchant => "walk-in-sales-by-merchant",
        DailyAllowanceKind.UserOrdersByMerchant => "user-orders-by-merchant",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an allowance kind."),
    };

    /// <summary>
    /// Takes one of the day's uses, before the act: past the day's allowance 429 <c>quota-exceeded</c> with when the day
    /// ends, and the caller does not act. Counted for good once taken, whatever the act then does, so a loop of acts
    /// refused further on ends at the party's day.
    /// </summary>
    [Alias("take")]
    Task Take();

    /// <summary>
    /// Takes up to <paramref name="wanted"/> of the day's uses at once, as many as are left, with one write: a silo hands
    /// them out to its own callers (the silo's leases of allowances) so that a busy merchant's every order does not queue on
    /// this one activation. Past the day's allowance 429 <c>quota-exceeded</c>, as <see cref="Take"/>.
    /// </summary>
    [Alias("take-block")]
    Task<AllowanceBlock> TakeBlock(int wanted);
}
