using MeiLing.Grains.Staff;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Counts one party's acts of one kind in a fixed day, in persisted state (two numbers), so neither a deactivation nor a
/// silo's restart hands out a fresh day.
/// </summary>
internal sealed class DailyAllowanceGrain(
    [PersistentState("daily-allowance", StorageNames.Default)] IPersistentState<FixedWindowCount> state,
    IOptions<StaffSettings> settings,
    TimeProvider clock) : Grain, IDailyAllowanceGrain
{
    /// <summary>The code of a kind this release does not know: a newer silo's counter asked of this one while a cluster rolls.</summary>
    public const string UnknownKind = "unknown-allowance";

    /// <summary>The code of a day of wrong codes asked to take a use, or of another day asked to admit a code.</summary>
    public const string WrongCodesOnly = "wrong-codes-only";

    /// <summary>How many uses of a day of sales are counted between two writes of it.</summary>
    internal const int SalesWrittenEvery = 100;

    /// <summary>
    /// How long a code admitted for examination holds its day unless settled sooner: an examination takes milliseconds, and
    /// a code whose API host died before settling it is not to hold the day for good.
    /// </summary>
    internal static readonly TimeSpan ExaminationHeld = TimeSpan.FromMinutes(1);

    // When each code admitted and not yet settled was admitted, oldest first. In memory only: an admission costs no write,
    // and an activation that leaves mid-examination (which idleness never makes it do) forgets at most a few.
    private readonly Queue<DateTimeOffset> _examined = new();

    private int _unwritten;

    async Task IDailyAllowanceGrain.Take()
    {
        var (kind, perDay, what) = Allowance();
        state.State.Take(clock.GetUtcNow(), UserQuotas.Day, perDay, what);
        // A merchant's day of sales is written every so many sales, and as the activation leaves, not at every sale: a write
        // per sale would queue each of the merchant's tills behind the last one's write. A silo that dies loses fewer than
        // that, a small gift against a day of a hundred thousand. Every other day is written at every use. (Silos of this
        // release take such days in blocks, TakeBlock; this path serves older ones while a cluster rolls, and small days.)
        if (!IsSales(kind) || state.State.Used == 1 || ++_unwritten >= SalesWrittenEvery)
        {
            await state.WriteStateAsync();
            _unwritten = 0;
        }
    }

    async Task<AllowanceBlock> IDailyAllowanceGrain.TakeBlock(int wanted)
    {
        if (wanted is < 1 or > AllowanceLeases.LargestBlock)
        {
            throw DomainException.Invalid("allowance-block-size", $"A block is 1 to {AllowanceLeases.LargestBlock} uses.");
        }

        var (_, perDay, what) = Allowance();
        var now = clock.GetUtcNow();
        var granted = state.State.TakeUpTo(now, UserQuotas.Day, perDay, wanted, what);
        // Written at once, with what Take left unwritten: a block handed out is spent for good, whatever becomes of the silo
        // holding it.
        await state.WriteStateAsync();
        _unwritten = 0;
        return new AllowanceBlock(granted, state.State.LeftOf(now, UserQuotas.Day));
    }

    Task IDailyAllowanceGrain.AdmitCode(int perDay)
    {
        var what = WrongCodes();
        if (perDay < 1)
        {
            throw DomainException.Invalid("allowance-day-size", "A day of wrong codes has room for one code at least.");
        }

        var now = clock.GetUtcNow();
        while (_examined.TryPeek(out var admitted) && now - admitted >= ExaminationHeld)
        {
            _examined.Dequeue();
        }

        // Checked and held in one turn of the one activation: no code slips between another's check and its count.
        var spent = state.State.LeftOf(now, UserQuotas.Day) > TimeSpan.Zero ? state.State.Used : 0;
        if (spent + _examined.Count >= perDay)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, "too-many-wrong-codes", $"At most {perDay} {what} a day; try again later.")
            {
                // The day spent: until it ends. Held only by codes still being examined: until they are settled at the latest.
                RetryAfter = spent >= perDay ? state.State.LeftOf(now, UserQuotas.Day) : ExaminationHeld,
            };
        }

        _examined.Enqueue(now);
        return Task.CompletedTask;
    }

    async Task IDailyAllowanceGrain.SettleCode(bool wrong)
    {
        var what = WrongCodes();
        _examined.TryDequeue(out _);
        if (wrong)
        {
            // Counted whatever the day's size: it was admitted with room, and a wrong code examined is never left uncounted.
            state.State.Take(clock.GetUtcNow(), UserQuotas.Day, int.MaxValue, what);
            await state.WriteStateAsync();
        }
    }

    async Task IDailyAllowanceGrain.Forget()
    {
        _examined.Clear();
        _unwritten = 0;
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unwritten > 0)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private static bool IsSales(DailyAllowanceKind? kind) =>
        kind is DailyAllowanceKind.WalkInSalesByMerchant or DailyAllowanceKind.UserOrdersByMerchant;

    private (DailyAllowanceKind Kind, int PerDay, string What) Allowance()
    {
        var kind = IDailyAllowanceGrain.KindOf(this.GetPrimaryKeyString());
        return kind switch
        {
            DailyAllowanceKind.SupportCalls => (kind.Value, settings.Value.SupportCallsPerDay, "audited calls by one support agent"),
            DailyAllowanceKind.MemberCodesByStaffKey => (kind.Value, settings.Value.MemberCodesPerStaffPerDay, "member codes texted at one staff key's asking"),
            DailyAllowanceKind.MemberCodesByMerchant => (kind.Value, settings.Value.MemberCodesPerMerchantPerDay, "member codes texted at one merchant's asking"),
            DailyAllowanceKind.StockAdjustmentsByMerchant => (kind.Value, settings.Value.StockAdjustmentsPerMerchantPerDay, "stock adjustments by one merchant"),
            DailyAllowanceKind.CatalogueEditsByMerchant => (kind.Value, settings.Value.CatalogueEditsPerMerchantPerDay, "product edits by one merchant"),
            DailyAllowanceKind.TopUpsByMerchant => (kind.Value, settings.Value.TopUpsPerMerchantPerDay, "member-card top-ups by one merchant"),
            DailyAllowanceKind.WalkInSalesByMerchant => (kind.Value, settings.Value.WalkInSalesPerMerchantPerDay, "walk-in sales by one merchant"),
            DailyAllowanceKind.UserOrdersByMerchant => (kind.Value, settings.Value.UserOrdersPerMerchantPerDay, "orders for users by one merchant"),
            DailyAllowanceKind.WrongCodesByCaller or DailyAllowanceKind.WrongMemberCodesByStaffKey or DailyAllowanceKind.WrongMemberCodesByMerchant =>
                throw DomainException.Invalid(WrongCodesOnly, "A day of wrong codes is counted by AdmitCode and SettleCode."),
            _ => throw DomainException.Invalid(UnknownKind, "No such allowance."),
        };
    }

    // What a day of wrong codes counts; a day of any other kind is not counted this way.
    private string WrongCodes() => IDailyAllowanceGrain.KindOf(this.GetPrimaryKeyString()) switch
    {
        DailyAllowanceKind.WrongCodesByCaller => "wrong codes from one caller",
        DailyAllowanceKind.WrongMemberCodesByStaffKey => "wrong member codes from one till's key",
        DailyAllowanceKind.WrongMemberCodesByMerchant => "wrong member codes from one merchant's keys",
        null => throw DomainException.Invalid(UnknownKind, "No such allowance."),
        _ => throw DomainException.Invalid(WrongCodesOnly, "Only a day of wrong codes admits codes."),
    };
}
