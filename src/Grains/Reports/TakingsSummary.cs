namespace MeiLing.Grains.Reports;

/// <summary>
/// Sums a day's ledger rows into the report: net is gross less refunds, and so is each method's amount; the top-ups apart;
/// and each staff member's share of the top-ups, marked payments and refunds (the merchant's own key as a null staff id).
/// </summary>
public static class TakingsSummary
{
    public static DailyReport Daily(
        DateOnly date,
        string timeZone,
        int orders,
        IReadOnlyList<(string Method, string Kind, int Count, long AmountFen)> ledger,
        IReadOnlyList<(string Kind, string TakenBy, int Count, long AmountFen)>? byTaker = null)
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
            TopUpsByStaff = SharesOf(TakingsLedger.TopUp, byTaker),
            MarkedPaymentsByStaff = SharesOf(TakingsLedger.Payment, byTaker),
            RefundsByStaff = SharesOf(TakingsLedger.Refund, byTaker),
        };
    }

    // The ledger's payment shares are of marked payments only (TakingsLedger.ByTakerAsync).
    private static StaffTakings[] SharesOf(string kind, IReadOnlyList<(string Kind, string TakenBy, int Count, long AmountFen)>? byTaker) =>
        [.. (byTaker ?? []).Where(taker => taker.Kind == kind).Select(taker => new StaffTakings(
            taker.TakenBy == TakingsLedger.MerchantKey ? null : taker.TakenBy, taker.Count, taker.AmountFen))];
}
