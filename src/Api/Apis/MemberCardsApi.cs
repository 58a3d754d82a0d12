using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Security;
using MeiLing.Grains.MemberCards;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MeiLing.Api.Apis;

/// <summary>Member cards (会员卡, P1.6): a stored-value balance per user per merchant.</summary>
public static class MemberCardsApi
{
    public static RouteGroupBuilder MapMemberCardsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/merchants/{merchantId:id}/member-cards/{userId:id}").WithTags("Merchant app")
            .ForCaller(CallerScope.TheMerchant);

        group.MapPost("/top-ups", TopUp).WithName("TopUpMemberCard")
            .WithSummary("Add to the user's balance at this merchant. An Idempotency-Key header makes retries safe.")
            .WithDescription("The merchant key, a manager or a cashier. The top-up is in the day's report (`topUps`, `topUpsFen`) under the staff member whose key made it (`topUpsByStaff`; the merchant's own key as `staffId` null), so a top-up the till did not take the money for can be traced. A cashier tops up at most their daily limit (1,000,000 fen unless the merchant set theirs, `PUT …/staff/{staffId}/top-up-limit`), then 403 `top-up-limit` and nothing is put on the card; a retry under the same Idempotency-Key (each of the merchant's keys has its own) counts once, and the same key with another amount, or a cashier's key replayed after the card has forgotten it (its last 1,000 operations), is 409 `idempotency-key-reused`. One merchant's keys together take at most MEILING_TOP_UPS_PER_MERCHANT_PER_DAY top-ups a day (50,000 unless set), counted after the cashier's own limit; beyond it 429 `quota-exceeded` with Retry-After, nothing put on the card (P4.4).");
        // P4.4, A.2 (*reviewer*): a cashier's key read every customer's balance at its whole rate; staff keys read cards at
        // their heavy-reads rate, as they read orders.
        group.MapGet("/", GetBalance).WithName("GetMemberCard").RequireRateLimiting(RateLimits.StaffReadsPolicy)
            .WithSummary("The user's balance at this merchant (0 without a card); 404 for a user who does not exist. A card's balance is the user's data handed to the merchant, recorded in the user's disclosures as an order read is, and 403 `processing-refused` while the platform hands nothing of theirs to a merchant (P3.1, P5.1). A manager's or cashier's key reads cards at MEILING_RATE_LIMIT_HEAVY_READS_PER_SECOND, then 429 (P4.4).");
        return group;
    }

    private static async Task<Ok<BalanceBody>> TopUp(
        string merchantId, string userId, TopUpRequest request, ClaimsPrincipal caller, IClusterClient cluster,
        [FromHeader(Name = OrdersApi.IdempotencyHeader)] string? idempotencyKey)
    {
        // P1.6 (*reviewer*): each of the merchant's keys has keys of its own, as payments do. Shared, a second till's top-up
        // under a key another till had used (keys built from a counter, or one reused on purpose) was answered 200 with the
        // first's balance: the customer's cash taken, nothing put on the card, nothing in the day's report.
        var operationId = string.IsNullOrEmpty(idempotencyKey)
            ? $"top-up:{Guid.NewGuid():N}"
            : $"top-up:{caller.MerchantStaffId() ?? "merchant"}/{idempotencyKey}";
        var balance = await cluster.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId))
            .TopUpBy(new MemberCardTopUp(
                operationId, request.AmountFen, caller.MerchantStaffId(), string.IsNullOrEmpty(idempotencyKey) ? null : $"top-up:{idempotencyKey}"));
        return TypedResults.Ok(new BalanceBody(balance));
    }

    private static async Task<Results<Ok<BalanceBody>, NotFound>> GetBalance(string merchantId, string userId, IClusterClient cluster) =>
        await cluster.UserExistsAsync(userId)
            ? TypedResults.Ok(new BalanceBody(await cluster.GetGrain<IMemberCardGrain>(IMemberCardGrain.KeyOf(merchantId, userId)).GetBalanceForMerchant()))
            : TypedResults.NotFound();
}

/// <summary>Body of a top-up.</summary>
public sealed record TopUpRequest([property: Range(1, MemberCardGrainLimits.MaxFen, ErrorMessage = "Top-ups are 1 to 100000000 fen.")] long AmountFen);

public sealed record BalanceBody(long BalanceFen);

internal static class MemberCardGrainLimits
{
    public const long MaxFen = 100_000_000;
}
