namespace MeiLing.Grains.Platform;

/// <summary>
/// One party's day of one kind of act (<see cref="DailyAllowanceKind"/>), keyed by <see cref="KeyOf"/>. A grain of its own,
/// two numbers of state: counting rewrites no large record (a merchant's staff list), waits on no busy grain's turn (a
/// merchant walking its customers, which calls the orders that count here), and a counter new in a release lives only
/// on silos of that release while a cluster rolls.
/// <para>Version 1 adds <see cref="TakeBlock"/>: a call of it reaching an activation of an older release has that activation
/// replaced by one of this release (Orleans' backward-compatible versions), so it is never refused as unknown.</para>
/// <para>Version 2 adds <see cref="AdmitCode"/> and <see cref="SettleCode"/>, for the days of wrong codes, in the same way.</para>
/// </summary>
[Alias("meiling.daily-allowance"), Orleans.CodeGeneration.Version(2)]
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
        "wrong-codes-by-caller" => DailyAllowanceKind.WrongCodesByCaller,
        "wrong-member-codes-by-staff-key" => DailyAllowanceKind.WrongMemberCodesByStaffKey,
        "wrong-member-codes-by-merchant" => DailyAllowanceKind.WrongMemberCodesByMerchant,
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
        DailyAllowanceKind.WrongCodesByCaller => "wrong-codes-by-caller",
        DailyAllowanceKind.WrongMemberCodesByStaffKey => "wrong-member-codes-by-staff-key",
        DailyAllowanceKind.WrongMemberCodesByMerchant => "wrong-member-codes-by-merchant",
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

    /// <summary>
    /// Admits one code of the party's day of wrong codes (a <c>Wrong…</c> kind) for examination, before it is examined, and
    /// only while the day of <paramref name="perDay"/> has room for it and for every code of the party still being examined
    /// through any API host: 429 <c>too-many-wrong-codes</c> otherwise, with when to try again. Nothing is written; the code
    /// costs the day only if <see cref="SettleCode"/> says it was wrong. The day's size is the asking API host's setting:
    /// only API hosts read those settings.
    /// </summary>
    /// <remarks>
    /// P4.4 (*reviewer*): a day each API host held in memory was a day per host, and a fresh one after each restart. Admitted
    /// here in one activation, a burst spread over every host is admitted only as far as the one day has room.
    /// </remarks>
    [Alias("admit-code")]
    Task AdmitCode(int perDay);

    /// <summary>Ends the examination of a code <see cref="AdmitCode"/> admitted: a wrong one is counted for good, a right one costs nothing.</summary>
    [Alias("settle-code")]
    Task SettleCode(bool wrong);

    /// <summary>
    /// Forgets the day: its stored row goes. A user's day of wrong codes is keyed by their id, so their account's erasure
    /// forgets it rather than leave a row naming them (P4.1).
    /// </summary>
    [Alias("forget")]
    Task Forget();
}
