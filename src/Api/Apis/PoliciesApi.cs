using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MeiLing.Api.Audit;
using MeiLing.Api.Security;
using MeiLing.Api.Validation;
using MeiLing.Grains.Policies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Privacy policy versions (P6.1): operators publish; anyone reads the current one.</summary>
public static class PoliciesApi
{
    public static RouteGroupBuilder MapPoliciesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/policies").WithTags("Policies");

        group.MapPost("/", Publish)
            .RequireAuthorization(AuthorizationPolicies.Operator)
            .WithName("PublishPolicyVersion")
            .WithSummary("Publish a new version of the privacy policy.");

        group.MapGet("/current", GetCurrent)
            .AllowAnonymous()
            .WithName("GetCurrentPolicyVersion")
            .WithSummary("The most recently published policy version.");

        group.MapGet("/", GetVersions)
            .AllowAnonymous()
            .WithName("ListPolicyVersions")
            .WithSummary("The published policy versions, oldest first, a page at a time (limit 1-100, default 100; cursor).");

        return group;
    }

    private static IPrivacyPolicyGrain Policy(IClusterClient cluster) =>
        cluster.GetGrain<IPrivacyPolicyGrain>(IPrivacyPolicyGrain.PlatformPolicyKey);

    private static async Task<Created<PolicyVersion>> Publish(PublishPolicyRequest request, ClaimsPrincipal caller, IClusterClient cluster)
    {
        // P1.7, P6.1: who published which version, and whether they said it reduces rights, before it stands.
        await PolicyChangeAudit.RecordAsync(cluster, caller, request.Version.Trim(), request.ReducesRights);
        var published = await Policy(cluster).Publish(new PublishPolicyVersion(request.Version.Trim(), request.Summary.Trim(), request.ReducesRights));
        return TypedResults.Created("/v1/policies/current", published);
    }

    private static async Task<Results<Ok<PolicyVersion>, NotFound>> GetCurrent(IClusterClient cluster) =>
        await Policy(cluster).GetCurrent() is { } current ? TypedResults.Ok(current) : TypedResults.NotFound();

    /// <summary>
    /// A page of the versions, oldest first. The route is open to anyone: one answer holding every version would let each
    /// anonymous request carry all of them, 2,000 characters of summary each (P4.4).
    /// </summary>
    private static async Task<Results<Ok<ItemPage<PolicyVersion>>, ValidationProblem>> GetVersions(
        IClusterClient cluster, [Range(1, IPrivacyPolicyGrain.MaxPageSize)] int? limit, [StringLength(10)] string? cursor)
    {
        if (!SkipCursor.TryRead(cursor, out var skip))
        {
            return SkipCursor.Invalid();
        }

        var take = limit ?? IPrivacyPolicyGrain.MaxPageSize;
        var window = await Policy(cluster).GetVersionsPage(skip, take);
        return TypedResults.Ok(new ItemPage<PolicyVersion>([.. window.Take(take)], SkipCursor.Next(skip, take, window.Count > take)));
    }
}

/// <summary>Body of <c>POST /v1/policies</c>.</summary>
public sealed record PublishPolicyRequest(
    [property: Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", ErrorMessage = "1-32 letters, digits, '.', '_' or '-'.")] string Version,
    [property: Required, StringLength(2000, MinimumLength = 1), PlainText(Multiline = true)] string Summary,
    bool ReducesRights);
