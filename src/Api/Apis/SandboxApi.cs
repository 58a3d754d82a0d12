using System.ComponentModel.DataAnnotations;
using MeiLing.Api.Security;
using MeiLing.Grains.Identity;
using MeiLing.Grains.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>The sandbox SMS outbox: what the sandbox sender kept instead of texting, for development and tests.</summary>
public static class SandboxApi
{
    public static RouteGroupBuilder MapSandboxApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/sandbox").WithTags("Sandbox");
        group.MapGet("/sms", ReadSms).RequireAuthorization(AuthorizationPolicies.Operator)
            .WithName("ReadSandboxSms")
            .WithSummary("Texts the sandbox sender kept, newest first (to one number with ?phone=); 404 where the silos do not use the sandbox sender.");
        return group;
    }

    private static async Task<Results<Ok<ItemPage<SentSms>>, ValidationProblem>> ReadSms(
        IClusterClient cluster, [StringLength(32)] string? phone, [Range(1, ISandboxSmsOutboxGrain.Kept)] int? limit)
    {
        string? normalized = null;
        if (phone is not null && !PhoneNumber.TryNormalize(phone, out normalized))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = ["A mainland mobile number is 11 digits starting 13-19."] });
        }

        return TypedResults.Ok(ItemPage.Last(await cluster.GetGrain<ISandboxSmsOutboxGrain>(0).Read(normalized, limit ?? 100)));
    }
}
