using MeiLing.Grains.Merchants;

namespace MeiLing.Grains.Reports;

internal sealed class MerchantReportsGrain(TakingsLedger ledger) : Grain, IMerchantReportsGrain
{
    async Task<DailyReport> IMerchantReportsGrain.Daily(DateOnly date)
    {
        var merchantId = this.GetPrimaryKeyString();
        var merchant = await GrainFactory.GetGrain<IMerchantGrain>(merchantId).Get()
            ?? throw DomainException.NotFound("merchant-not-found", "No such merchant.");
        var zone = MerchantTimeZones.Find(merchant.TimeZone);
        var (from, to) = MerchantTimeZones.DayIn(zone, date);
        var rows = await ledger.SumAsync(merchantId, from, to);
        var orders = await ledger.OrdersPlacedAsync(merchantId, from, to);
        var byTaker = await ledger.ByTakerAsync(merchantId, from, to);
        return TakingsSummary.Daily(date, zone.Id, orders, rows, byTaker);
    }
}
