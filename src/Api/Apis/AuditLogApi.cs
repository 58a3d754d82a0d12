using MeiLing.Api.Security;
using MeiLing.Grains.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>The audit log's integrity, for operators (P1.7, P8.1): the chain walked on asking, as the silo walks it daily.</summary>
public static class AuditLogApi
{
    public static IEndpointRouteBuilder MapAuditLogApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/audit-log/verification", Verify).WithTags("Operations")
            .RequireAuthorization(AuthorizationPolicies.Operator).RequireRateLimiting(RateLimits.HeavyReadsPolicy).WithName("VerifyAuditLog")
            .WithSummary("Walks the audit log's hash chain now: {checkedAt, entriesChecked, intact, firstBrokenSequence} (null when intact). A changed or removed entry, or newest entries cut off past the head kept beside the log, is intact false naming the first entry that does not follow. Operators only; a heavy read (MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND). One walk at a time, a page at a time: a call while a walk runs answers with that walk's result (checkedAt is when it ended). The silo walks it once a day too, and logs a break as critical.");
        return routes;
    }

    private static async Task<Ok<AuditChainCheck>> Verify(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IAuditChainWatchGrain>(IAuditChainWatchGrain.PlatformKey).Check());
}
