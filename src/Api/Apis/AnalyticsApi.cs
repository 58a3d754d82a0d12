using MeiLing.Api.Extensions;
using MeiLing.Api.Security;
using MeiLing.Grains.Analytics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>De-identified aggregates for analytics and advertising partners (P1.11, P1.13): operators export them.</summary>
public static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder routes)
    {
        // P4.4: an export groups up to a year of order lines before its bound can refuse it: the heavy reads' bucket.
        var group = routes.MapGroup("/v1/analytics").WithTags("Analytics")
            .RequireAuthorization(AuthorizationPolicies.Operator).RequireRateLimiting(RateLimits.HeavyReadsPolicy);

        group.MapGet("/sales", ExportSales).WithName("ExportSales")
            .WithSummary("Sales by merchant alias, day, product and region, of settled days (ended 7 days and 15 minutes ago, UTC), each as first published; groups of fewer than 5 customers are suppressed; no ids.")
            .WithDescription("A period of 1 to 366 days (from, to inclusive) ending on a settled day and holding at most 100,000 kept groups (suppressed groups are only counted, and do not count toward it); otherwise 400 (`invalid-period`, `day-not-settled` with the last day that can be exported, or `export-too-large`), naming `to` (a `from` of 0001-01-01 is 400 naming `from`). A day is settled 7 days and 15 minutes after its end, once its orders to be delivered can no longer be paid (7 days after their placing, and a partner's charge begun then is confirmed within 15 minutes): the last day that can be exported is today (UTC) less 8 days, or less 9 in a day's first 15 minutes. An order paid after that (an order not to be delivered has no payment window) stays out of its day's figures. The first export covering a day publishes its figures for good: every later export serves that day as then published, whatever refunds, cancellations or late payments changed since, so two exports of a day never differ by one order. Each merchant's alias is drawn at random for the export, so two exports cannot be joined by it. At most 10 exports a second per caller (the heavy reads' bucket, MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND), then 429.")
            .ProducesProblems(400, 401, 403);
        return group;
    }

    private static async Task<Ok<SalesExport>> ExportSales(DateOnly from, DateOnly to, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IAnalyticsGrain>(0).ExportSales(from, to));
}
