namespace MeiLing.Grains.Reports;

/// <summary>
/// Sums a day's ledger rows into the report: net is gross less refunds, and so is each method's amount; the top-ups apart,
/// with each staff member's share (the merchant's own key as a null staff id).
/// </summary>
public static class TakingsSummary
{
    public static DailyReport Daily(
        DateOnly date,
        string timeZone,
        int orders,
        IReadOnlyList<(string Method, string Kind, int Count, long AmountFen)> ledger,
        IReadOnlyList<(string TakenBy, int Count, long AmountFen)>? topUpsByTaker = null)
    {
        var topUps = ledger.Where(r => r.Kind == TakingsLedger.TopUp).ToList();
        var rows = ledger.Where(r => r.Kind != TakingsLedger.TopUp).ToList();
        var gross = rows.Where(r => r.Kind == TakingsLedger.Payment).Sum(r => r.AmountFen);
        var refunds = rows.Where(r => r.Kind == TakingsLedger.Refund).Sum(r => r.AmountFen);
        var byMethod = rows.GroupBy(r => r.Method, StringComparer.Ordinal).ToDictionary(
            group => group.Key,
            group => new MethodTakings(
                group.Where(r => r.Kind == TakingsLedger.Payment).Sum(r => r.Count),
                group.Sum(r => r.Kind == TakingsLedger.Payment ? r.AmountFen : -r.AmountFen)),
            StringComparer.Ordinal);
        return new DailyReport(date, timeZone, orders, gross, refunds, gross - refunds, byMethod)
        {
            TopUps = topUps.Sum(r => r.Count),
            TopUpsFen = topUps.Sum(r => r.AmountFen),
            TopUpsByStaff = [.. (topUpsByTaker ?? []).Select(taker => new StaffTopUps(
                taker.TakenBy == TakingsLedger.MerchantKey ? null : taker.TakenBy, taker.Count, taker.AmountFen))],
        };
    }
}
