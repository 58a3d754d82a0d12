using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>The platform's own staff: support agents and operators, enrolled by operators.</summary>
public static class StaffApi
{
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapStaffApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/staff").WithTags("Staff")
            .RequireAuthorization(AuthorizationPolicies.Operator);

        group.MapPost("/", EnrolStaff)
            .WithName("EnrolStaff")
            .WithSummary("Enrol a support agent or operator and issue their API key (shown once).")
            .WithDescription("Written to the audit log with the operator who asked before the key is minted (P1.7); if the log cannot take it, no key is minted.");

        // P4.4: a page wakes up to a hundred staff grains; heavy reads have a bucket of their own, as the merchant's list does.
        group.MapGet("/", ListStaff).RequireRateLimiting(RateLimits.HeavyReadsPolicy)
            .WithName("ListStaff")
            .WithSummary("Every support agent and operator enrolled, oldest first, offboarded ones included, each with the operator who enrolled them (`enrolledBy`); a page at a time (limit 1–100, cursor).")
            .WithDescription("So that the keys an operator minted (one with a leaked operator key) can be found and offboarded, after that operator is too (P1.7, P4.4). The platform enrols at most 10,000 staff members, offboarded ones included (then 409 too-many-staff). Members enrolled before this list was kept are not on it. Operators only.");

        group.MapGet("/{staffId:id}", GetStaff)
            .WithName("GetStaff")
            .WithSummary("Read a staff member.");

        group.MapDelete("/{staffId:id}", OffboardStaff)
            .WithName("OffboardStaff")
            .WithSummary("End a staff member's access: their API key stops working at once; the record stays.")
            .WithDescription("Written to the audit log with the operator who asked before it is done (P1.7). A staff id no one enrolled is 404, with nothing written.");

        return group;
    }

    private static async Task<Created<StaffEnrolled>> EnrolStaff(EnrolStaffRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var staffId = EntityId.New(EntityId.StaffPrefix);
        await StaffChangeAudit.RecordAsync(cluster, caller, StaffChangeAudit.Enrolled, staffId, request.Role);
        // P1.7: who enrolled the agent is kept, so that the operator who minted a key cannot also be the second pair of
        // eyes on what that key files.
        var issued = await cluster.GetGrain<IStaffGrain>(staffId).Enrol(new EnrolStaff(request.Name.Trim(), request.Role, EnrolledBy: caller.SubjectId()));
        return TypedResults.Created($"/v1/staff/{staffId}", new StaffEnrolled(staffId, request.Role, issued.ApiKey));
    }

    private static async Task<Results<NoContent, NotFound>> OffboardStaff(string staffId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        // A staff id no one enrolled is 404 before anything is written.
        if (await cluster.GetGrain<IStaffGrain>(staffId).Get() is null)
        {
            return TypedResults.NotFound();
        }

        await StaffChangeAudit.RecordAsync(cluster, caller, StaffChangeAudit.Offboarded, staffId);
        // P1.7 (*reviewer*): named as the operator who did it; unnamed, the merchant's own staff list read an operator's
        // offboarding of its manager as the merchant key's own.
        return await cluster.GetGrain<IStaffGrain>(staffId).OffboardBy(caller.SubjectId()) is null ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<StaffPage>, ValidationProblem>> ListStaff(
        IClusterClient cluster, [Range(1, MaxPageSize)] int? limit, [StringLength(16)] string? cursor)
    {
        if (!SkipCursor.TryRead(cursor, out var skip))
        {
            return SkipCursor.Invalid();
        }

        var take = limit ?? MaxPageSize;
        var page = await cluster.GetGrain<IPlatformStaffRosterGrain>(IPlatformStaffRosterGrain.Key).StaffIds(skip, take);
        // An id listed whose enrolment then failed (before its record was written) has no record: left out.
        var staff = await Task.WhenAll(page.StaffIds.Select(staffId => cluster.GetGrain<IStaffGrain>(staffId).Get()));
        return TypedResults.Ok(new StaffPage([.. staff.OfType<StaffView>()], SkipCursor.Next(skip, take, skip + take < page.Listed)));
    }

    private static async Task<Results<Ok<StaffView>, NotFound>> GetStaff(string staffId, IClusterClient cluster)
    {
        var staff = await cluster.GetGrain<IStaffGrain>(staffId).Get();
        return staff is null ? TypedResults.NotFound() : TypedResults.Ok(staff);
    }
}

/// <summary>Body of <c>POST /v1/staff</c>.</summary>
public sealed record EnrolStaffRequest(
    [property: Required, StringLength(100, MinimumLength = 1), PlainText] string Name,
    StaffRole Role);

/// <summary>
/// A page of the platform's own staff, oldest first (<c>GET /v1/staff</c>); those enrolled before the platform kept its list
/// are not on it.
/// </summary>
public sealed record StaffPage(IReadOnlyList<StaffView> Items, string? NextCursor);

/// <summary>A staff member just enrolled, with their API key: the only time the key is shown.</summary>
public sealed record StaffEnrolled(string StaffId, StaffRole Role, string ApiKey);
