using MeiLing.Grains.Merchants;
using MeiLing.Grains.Reports;

namespace MeiLing.Tests.Unit.Retail;

public sealed class TakingsSummaryTests
{
    [Fact]
    public void Net_is_gross_less_refunds_and_the_methods_add_up_to_it()
    {
        var report = TakingsSummary.Daily(new DateOnly(2026, 12, 2), "Asia/Shanghai", 3,
        [
            ("marked", TakingsLedger.Payment, 2, 3_000L),
            ("marked", TakingsLedger.Refund, 1, 1_000L),
            ("wechat", TakingsLedger.Payment, 1, 1_000L),
        ]);

        Assert.Equal(4_000, report.GrossFen);
        Assert.Equal(1_000, report.RefundsFen);
        Assert.Equal(3_000, report.NetFen);
        Assert.Equal(new MethodTakings(2, 2_000), report.ByMethod["marked"]);
        Assert.Equal(report.NetFen, report.ByMethod.Values.Sum(m => m.AmountFen));
    }

    [Fact]
    public void Top_ups_are_apart_from_sales_and_the_merchants_own_key_is_the_share_without_a_staff_id()
    {
        var report = TakingsSummary.Daily(new DateOnly(2026, 12, 2), "Asia/Shanghai", 0,
            [("member-card", TakingsLedger.TopUp, 3, 6_000L)],
            [(TakingsLedger.TopUp, "stf_a", 2, 5_000L), (TakingsLedger.TopUp, TakingsLedger.MerchantKey, 1, 1_000L),
             (TakingsLedger.Payment, "stf_b", 1, 700L), (TakingsLedger.Refund, TakingsLedger.MerchantKey, 1, 300L)]);

        Assert.Equal((3, 6_000L), (report.TopUps, report.TopUpsFen));
        Assert.Equal(0, report.GrossFen);
        Assert.Equal([new StaffTakings("stf_a", 2, 5_000), new StaffTakings(null, 1, 1_000)], report.TopUpsByStaff);
        Assert.Equal([new StaffTakings("stf_b", 1, 700)], report.MarkedPaymentsByStaff);
        Assert.Equal([new StaffTakings(null, 1, 300)], report.RefundsByStaff);
    }

    [Fact]
    public void A_shanghai_day_starts_at_four_in_the_afternoon_utc_the_day_before()
    {
        var (from, to) = MerchantTimeZones.DayIn(MerchantTimeZones.Find(null), new DateOnly(2026, 12, 2));

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(TimeSpan.FromHours(24), to - from);
    }
}
