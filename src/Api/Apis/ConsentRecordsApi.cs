using System.Security.Claims;
using MeiLing.Api.Security;
using MeiLing.Grains.Consents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>Consent receipts, each its own immutable record: readable by its user and by support.</summary>
public static class ConsentRecordsApi
{
    public static RouteGroupBuilder MapConsentRecordsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/consent-records").WithTags("Users");

        group.MapGet("/{receiptId:id}", GetReceipt).RequireAuthorization(AuthorizationPolicies.UserOrSupport)
            .WithName("GetConsentRecord").WithSummary("One consent receipt, after the Kantara Consent Receipt.");

        return group;
    }

    private static async Task<Results<Ok<ConsentReceipt>, NotFound>> GetReceipt(string receiptId, ClaimsPrincipal caller, IClusterClient cluster)
    {
        var receipt = await cluster.GetGrain<IConsentRecordGrain>(receiptId).Get();
        return receipt is not null && caller.CanActForUser(receipt.UserId) ? TypedResults.Ok(receipt) : TypedResults.NotFound();
    }
}
