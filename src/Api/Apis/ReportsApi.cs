using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using MeiLing.Api.Extensions;
using MeiLing.Api.Security;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>A merchant's accounts: daily takings, and the member-card balances it owes back after closures.</summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder routes)
    {
        // P4.4: each report aggregates a day's (or a page of) rows in the shared database: looped with a new date each time,
        // at a manager's 1,000 calls a second, it slowed every merchant. A caller's heavy reads' bucket, as the ledger's.
        var group = routes.MapGroup("/v1/merchants/{merchantId:id}").WithTags("Retail")
            .ForCaller(CallerScope.TheMerchantManager).RequireRateLimiting(RateLimits.HeavyReadsPolicy);

        group.MapGet("/reports/daily", Daily).WithName("DailyReport")
            .WithSummary("One day's takings in the merchant's time zone: orders, gross, refunds, net, and per payment method.")
            .WithDescription("`date` is YYYY-MM-DD from 0001-01-02 to 9999-12-30 (400 otherwise), a day in the merchant's time zone (Asia/Shanghai unless set when the merchant was opened). `orders` counts orders placed that day and not cancelled; `grossFen` what was paid that day, `refundsFen` what was given back, `netFen` the difference; `byMethod` gives per method the payments taken (`count`) and the amount kept (`amountFen`, paid less refunded), adding up to the net. `topUps` and `topUpsFen` count the member-card top-ups taken that day (money the till should hold, as for marked payments; not sales, so in neither `grossFen` nor `byMethod`), and `topUpsByStaff` the same per staff member whose key made them (`{staffId, count, amountFen}`, most money first; `staffId` null for the merchant's own key; at most one entry per staff member and one for the key), so a till short of its top-ups points at the cashier; `markedPaymentsByStaff` and `refundsByStaff` give the same shares of the marked (cash) payments and of the refunds, so a cashier who marks orders paid without taking the cash is named too; money moved before this was recorded names no one and is in the totals only. Built from the takings ledger, which names no customer, so erased customers' orders still count. The merchant key or a manager; a cashier gets 403. Reports and settlements spend the caller's heavy reads (10 a second, MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND), then 429.")
            .ProducesProblems(400, 401, 403, 404);
        group.MapGet("/member-card-settlements", Settlements).WithName("ListMemberCardSettlements")
            .WithSummary("Member-card balances settled when a customer cancelled or the merchant closed: what the merchant owes back, newest first, a page at a time (limit 1-200, default 50; cursor).")
            .WithDescription("Each names the card by `cardUserRef` (the pseudonym of the `member_card.settled` webhook), never the customer. Newest first (by `settledAt`, then `settlementId`); `nextCursor` gives the next page, null on the last, so every settlement is read exactly once however many there are. A cursor not given out by this list, unchanged, is 400 naming `cursor`. The merchant key or a manager.")
            .ProducesProblems(400, 401, 403, 404);
        return group;
    }

    private static readonly DateOnly FirstReportableDay = DateOnly.MinValue.AddDays(1);

    private static readonly DateOnly LastReportableDay = DateOnly.MaxValue.AddDays(-1);

    private static async Task<Results<Ok<DailyReport>, ValidationProblem>> Daily(
        string merchantId, string? date, IClusterClient cluster)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = ["A calendar date, YYYY-MM-DD."] });
        }

        // A day's bounds are instants in the merchant's zone: the calendar's first and last days have none that
        // DateTimeOffset can hold in every zone (the grain would fail, a 500).
        if (day < FirstReportableDay || day > LastReportableDay)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = [$"A day from {FirstReportableDay:yyyy-MM-dd} to {LastReportableDay:yyyy-MM-dd}."] });
        }

        return TypedResults.Ok(await cluster.GetGrain<IMerchantReportsGrain>(merchantId).Daily(day));
    }

    /// <summary>
    /// A page of what the merchant owes back. Newest first by (time, id), so settlements recorded while a merchant
    /// pages through neither repeat nor hide older ones; one answer of them all would grow with every closure (P4.4).
    /// </summary>
    private static async Task<Results<Ok<ItemPage<CardSettlement>>, ValidationProblem>> Settlements(
        string merchantId, IClusterClient cluster, [Range(1, IMemberCardSettlementsGrain.MaxPageSize)] int? limit, [StringLength(256)] string? cursor)
    {
        if (!string.IsNullOrEmpty(cursor) && !KeysetCursor.TryDecode(cursor, EntityId.SettlementPrefix, out _, out _))
        {
            return SkipCursor.Invalid();
        }

        var page = await cluster.GetGrain<IMemberCardSettlementsGrain>(0).PageOfMerchant(merchantId, cursor, limit ?? 50);
        return TypedResults.Ok(new ItemPage<CardSettlement>(page.Items, page.NextCursor));
    }
}
