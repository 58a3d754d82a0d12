using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Extensions;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>
/// A merchant's own staff (managers and cashiers), each with their own API key: the platform's one staff and key
/// mechanism, scoped to the merchant. The merchant key or a manager enrols and offboards; a cashier gets 403.
/// </summary>
public static class MerchantStaffApi
{
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapMerchantStaffApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/merchants/{merchantId:id}/staff").WithTags("Retail")
            .ForCaller(CallerScope.TheMerchantManager);

        group.MapPost("/", Enrol).WithName("EnrolMerchantStaff")
            .WithSummary("Enrol a manager or cashier and issue their API key (shown once); at most 10,000 per merchant, offboarded ones included, then 409 too-many-staff; at most 200 a day (429 quota-exceeded, P4.4); a closing merchant enrols nobody (409 merchant-closing, P4.3).")
            .WithDescription("A cashier places orders and takes payments; a manager also refunds, edits the catalogue, reads reports and enrols staff. Orders and refunds record who did them. Only `manager` or `cashier` (400 otherwise); another merchant's id is 404. Each staff member's record and key stay after offboarding, so a merchant enrols at most 10,000 in all (409 too-many-staff).")
            .ProducesProblems(400, 401, 403, 404, 409);
        // P4.4: a page wakes up to a hundred staff grains; looped at a manager's rate it was a hundred thousand calls a second.
        group.MapGet("/", List).RequireRateLimiting(RateLimits.HeavyReadsPolicy).WithName("ListMerchantStaff")
            .WithSummary("Every staff member enrolled in the merchant's name, oldest first, offboarded ones included, each with the manager who enrolled them (`enrolledBy`, null for the merchant key); a page at a time (limit 1–100, cursor).")
            .WithDescription("So the merchant key can find and offboard every key issued in its name: one a manager enrolled without telling anyone, or one enrolled with a leaked merchant key before it was replaced. `unlisted` counts staff enrolled before the merchant kept this list whose key has not been used since: a key's first use lists it. The merchant key or a manager; a cashier gets 403, another merchant's id 404.")
            .ProducesProblems(400, 401, 403, 404);
        group.MapGet("/{staffId:id}", Get).WithName("GetMerchantStaff")
            .WithSummary("A staff member of this merchant.")
            .ProducesProblems(401, 403, 404);
        group.MapPut("/{staffId:id}/top-up-limit", SetTopUpLimit).WithName("SetCashierTopUpLimit")
            .WithSummary("Set how much a cashier may put on member cards in a day (fen, the merchant's day); null for the platform's default.")
            .WithDescription("A cashier's top-ups are money they say they took: past their limit a top-up is 403 `top-up-limit` and nothing is put on the card, so one who takes no money can give away only so much before the day's report names them. The default is 1,000,000 fen a day (`MEILING_CASHIER_TOP_UPS_PER_DAY_FEN`); `perDayFen` 0 to 1,000,000,000, 0 meaning the cashier tops up nothing. The staff member's `topUpLimitPerDayFen` shows the limit in force, `topUpLimitSetAt` when it was last set and `topUpLimitSetBy` the manager who set it (null with a time: the merchant key), so a manager who raises a cashier's limit is named. A manager's and the merchant key's top-ups are not limited (a manager is 409 `not-a-cashier` here). The merchant key or a manager; another merchant's staff member is 404.")
            .ProducesProblems(400, 401, 403, 404, 409);
        group.MapDelete("/{staffId:id}", Offboard).WithName("OffboardMerchantStaff")
            .WithSummary("Offboard a staff member: their API key stops working at once; the record stays, with the manager who did it (`offboardedBy`, null for the merchant key; an operator's id when an operator did).")
            .WithDescription("Idempotent. Another merchant's staff member is 404.")
            .ProducesProblems(401, 403, 404, 409);
        return group;
    }

    private static async Task<Created<StaffEnrolled>> Enrol(string merchantId, EnrolMerchantStaffRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var staffId = EntityId.New(EntityId.StaffPrefix);
        // Who minted the key is kept with it: the merchant key sees which keys a manager made.
        var issued = await cluster.GetGrain<IStaffGrain>(staffId).Enrol(new EnrolStaff(request.Name.Trim(), request.Role, merchantId, caller.MerchantStaffId()));
        return TypedResults.Created($"/v1/merchants/{merchantId}/staff/{staffId}", new StaffEnrolled(staffId, request.Role, issued.ApiKey));
    }

    private static async Task<Results<Ok<MerchantStaffPage>, ValidationProblem>> List(
        string merchantId, IClusterClient cluster, [Range(1, MaxPageSize)] int? limit, [StringLength(16)] string? cursor)
    {
        if (!SkipCursor.TryRead(cursor, out var skip))
        {
            return SkipCursor.Invalid();
        }

        var take = limit ?? MaxPageSize;
        var page = await cluster.GetGrain<IMerchantGrain>(merchantId).StaffIds(skip, take);
        var staff = await Task.WhenAll(page.StaffIds.Select(staffId => cluster.GetGrain<IStaffGrain>(staffId).Get()));
        return TypedResults.Ok(new MerchantStaffPage(
            [.. staff.OfType<StaffView>()], SkipCursor.Next(skip, take, skip + take < page.Listed), Math.Max(page.Enrolled - page.Listed, 0)));
    }

    private static async Task<Results<Ok<StaffView>, NotFound>> Get(string merchantId, string staffId, IClusterClient cluster) =>
        await OwnStaffAsync(merchantId, staffId, cluster) is { } staff ? TypedResults.Ok(staff) : TypedResults.NotFound();

    private static async Task<Results<Ok<StaffView>, NotFound>> SetTopUpLimit(
        string merchantId, string staffId, SetTopUpLimitRequest request, ClaimsPrincipal caller, IClusterClient cluster) =>
        await OwnStaffAsync(merchantId, staffId, cluster) is not null
            && await cluster.GetGrain<IStaffGrain>(staffId).ChangeTopUpLimit(new TopUpLimitChange(request.PerDayFen, caller.MerchantStaffId())) is { } staff
            ? TypedResults.Ok(staff)
            : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Offboard(string merchantId, string staffId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        if (await OwnStaffAsync(merchantId, staffId, cluster) is null)
        {
            return TypedResults.NotFound();
        }

        // P1.7, P4.4 (*reviewer*): the merchant reads which of its managers removed whom, as it reads who enrolled them.
        await cluster.GetGrain<IStaffGrain>(staffId).OffboardBy(caller.MerchantStaffId());
        return TypedResults.NoContent();
    }

    // Outside the merchant's own staff (another merchant's, the platform's) is 404, as if unknown.
    private static async Task<StaffView?> OwnStaffAsync(string merchantId, string staffId, IClusterClient cluster) =>
        await cluster.GetGrain<IStaffGrain>(staffId).Get() is { } staff && staff.MerchantId == merchantId
            ? staff
            : null;
}

/// <summary>Body of <c>POST /v1/merchants/{merchantId}/staff</c>.</summary>
public sealed record EnrolMerchantStaffRequest(
    [property: Required, StringLength(100, MinimumLength = 1), PlainText] string Name,
    [property: AllowedValues(StaffRole.Manager, StaffRole.Cashier, ErrorMessage = "A merchant's staff are manager or cashier.")] StaffRole Role);

/// <summary>
/// A page of a merchant's staff, oldest first, and how many staff members were enrolled before the merchant kept its list
/// (<paramref name="Unlisted"/>: counted, but not shown here).
/// </summary>
public sealed record MerchantStaffPage(IReadOnlyList<StaffView> Items, string? NextCursor, int Unlisted);

/// <summary>Body of <c>PUT /v1/merchants/{merchantId}/staff/{staffId}/top-up-limit</c>: null puts the platform's default back.</summary>
public sealed record SetTopUpLimitRequest(
    [property: Range(0, 1_000_000_000, ErrorMessage = "A daily top-up limit is 0 to 1000000000 fen, or null for the default.")] long? PerDayFen);
