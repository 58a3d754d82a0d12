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

    async Task IDailyAllowanceGrain.Take()
    {
        var (perDay, what) = IDailyAllowanceGrain.KindOf(this.GetPrimaryKeyString()) switch
        {
            DailyAllowanceKind.SupportCalls => (settings.Value.SupportCallsPerDay, "audited calls by one support agent"),
            DailyAllowanceKind.MemberCodesByStaffKey => (settings.Value.MemberCodesPerStaffPerDay, "member codes texted at one staff key's asking"),
            DailyAllowanceKind.MemberCodesByMerchant => (settings.Value.MemberCodesPerMerchantPerDay, "member codes texted at one merchant's asking"),
            DailyAllowanceKind.StockAdjustmentsByMerchant => (settings.Value.StockAdjustmentsPerMerchantPerDay, "stock adjustments by one merchant"),
            DailyAllowanceKind.CatalogueEditsByMerchant => (settings.Value.CatalogueEditsPerMerchantPerDay, "product edits by one merchant"),
            DailyAllowanceKind.TopUpsByMerchant => (settings.Value.TopUpsPerMerchantPerDay, "member-card top-ups by one merchant"),
            _ => throw DomainException.Invalid(UnknownKind, "No such allowance."),
        };
        state.State.Take(clock.GetUtcNow(), UserQuotas.Day, perDay, what);
        await state.WriteStateAsync();
    }
}
