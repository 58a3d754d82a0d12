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
    public static RouteGroupBuilder MapStaffApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/staff").WithTags("Staff")
            .RequireAuthorization(AuthorizationPolicies.Operator);

        group.MapPost("/", EnrolStaff)
            .WithName("EnrolStaff")
            .WithSummary("Enrol a support agent or operator and issue their API key (shown once).")
            .WithDescription("Written to the audit log with the operator who asked before the key is minted (P1.7); if the log cannot take it, no key is minted.");

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

/// <summary>A staff member just enrolled, with their API key: the only time the key is shown.</summary>
public sealed record StaffEnrolled(string StaffId, StaffRole Role, string ApiKey);
